-- ShedLock's lock table (io.poolwatch.cluster.ClusterJobs): which poolwatch process runs the cluster's jobs, and
-- which ran each consistency check last. The columns are the ones ShedLock's JDBC provider reads and writes;
-- DATETIME, not TIMESTAMP, so that MariaDB never sets them by itself on update.
CREATE TABLE poolwatch_shedlock (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    lock_until DATETIME(3)  NOT NULL,
    locked_at  DATETIME(3)  NOT NULL,
    locked_by  VARCHAR(255) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
