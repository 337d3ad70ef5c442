// This is a generated file. Do not edit directly.
// Trimmed sample of k8s.io/kubernetes v1.34.4's go.mod for GoModuleBuilderTest.

module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
	github.com/blang/semver/v4 v4.0.0
	go.etcd.io/etcd/client/v3 v3.6.4
	k8s.io/api v0.0.0
	k8s.io/apimachinery v0.0.0 // indirect-looking comment
	k8s.io/client-go v0.0.0
	k8s.io/klog/v2 v2.130.1
	k8s.io/kube-openapi v0.0.0-20250710124328-f3f2b991d03b
	k8s.io/kubectl v0.0.0
	k8s.io/utils v0.0.0-20250604170112-4c0f3b243397
	sigs.k8s.io/json v0.0.0-20241014173422-cfa47c3a1cc8
)

require k8s.io/component-base v0.0.0

require (
	github.com/kylelemons/godebug v1.1.0 // indirect
	k8s.io/cri-client v0.0.0 // indirect
	example.com/k8s.io/fake v0.0.0 // indirect
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/apimachinery => ./staging/src/k8s.io/apimachinery
	k8s.io/client-go => ./staging/src/k8s.io/client-go
	k8s.io/component-base => ./staging/src/k8s.io/component-base
	k8s.io/cri-client => ./staging/src/k8s.io/cri-client
	k8s.io/kubectl => ./staging/src/k8s.io/kubectl
	k8s.io/sample-controller => ./staging/src/k8s.io/sample-controller
)
