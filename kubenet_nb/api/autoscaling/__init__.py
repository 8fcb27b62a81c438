"""autoscaling/v2: HorizontalPodAutoscalers."""
