/**
 * Where each node finds its files. Containers mount them at fixed paths; the local harness uses a temp dir
 * per node. Renderers and scripts take these paths as input, never assume them.
 */

/** TLS material a node uses. */
export interface NodeTlsPaths {
    /** The node's certificate, presented to clients and, for replication and the cluster bus, to peers. */
    certFile: string;
    /** The certificate's private key. */
    keyFile: string;
    /** The CA that signed every certificate of the deployment. */
    caFile: string;
    /** A client certificate `redis-cli` presents in the node's scripts (needed with mTLS). */
    clientCertFile: string;
    /** The client certificate's private key. */
    clientKeyFile: string;
}

/** The files one node uses. */
export interface NodePaths {
    /** Where the rendered `redis.conf` or `sentinel.conf` is mounted, read-only. */
    configFile: string;
    /** The persistent data directory (RDB, AOF, `nodes.conf`, the runtime config the start script writes). */
    dataDir: string;
    /** The `users.acl` file (data nodes only; sentinels carry their users in their config). */
    aclFile: string;
    /** A directory holding one file per user, named after the user, containing its current password. */
    passwordDir: string;
    /** TLS files, when TLS is on. */
    tls: NodeTlsPaths;
}

/** The paths every container of the Docker and Kubernetes platforms uses. */
export const CONTAINER_PATHS: NodePaths = {
    configFile: "/etc/redis/conf/node.conf",
    dataDir: "/data",
    aclFile: "/etc/redis/acl/users.acl",
    passwordDir: "/etc/redis/passwords",
    tls: {
        certFile: "/etc/redis/tls/tls.crt",
        keyFile: "/etc/redis/tls/tls.key",
        caFile: "/etc/redis/tls/ca.crt",
        clientCertFile: "/etc/redis/tls/client.crt",
        clientKeyFile: "/etc/redis/tls/client.key",
    },
};
