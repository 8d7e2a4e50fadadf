"""Tests of the deployments in deploy/: JupyterHub on one machine and on Kubernetes."""
