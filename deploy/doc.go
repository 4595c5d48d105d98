// Package deploy holds no code: its tests check the deployment files
// (Dockerfile, compose.yaml, deploy/k8s) against the leakwatch CLI they run.
package deploy
