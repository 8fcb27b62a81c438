"""admissionregistration.k8s.io/v1: webhook configurations and validating admission policies."""
