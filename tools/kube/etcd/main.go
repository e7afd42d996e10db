// Command etcd is etcd's server, built at the version that the Kubernetes
// release in this module expects, because Debian's etcd 3.4 is too old for
// kube-apiserver's watch progress requests.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
