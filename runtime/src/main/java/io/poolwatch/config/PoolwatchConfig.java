package io.poolwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * poolwatch's own configuration, under {@code poolwatch.*}.
 * <p>
 * Pool keys are all optional here because a pool's value is resolved through layers (see
 * {@link PoolSettingsResolver}): {@code poolwatch.pools."<name>".*}, then {@code poolwatch.defaults.*},
 * then the seed environment variables ({@code DB_POOL_SIZE} ...), then the workload's built-in profile
 * ({@link WorkloadProfiles}). The built-in values are listed in each key's Javadoc.
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "poolwatch")
public interface PoolwatchConfig {

    /** Workload pools by name. The standard workloads main, jobs, analytics and financial exist without any key. */
    @ConfigDocMapKey("name")
    Map<String, PoolConfig> pools();

    /** Values every pool inherits unless its own key is set; same keys as a pool. */
    PoolConfig defaults();

    /** Global monitoring settings (the seed's DB_MONITOR_ENABLED, DB_SLOW_QUERY_THRESHOLD ... map here). */
    MonitoringConfig monitoring();

    /** Read replicas given by the seed variables DB_READ_REPLICAS and DB_REPLICA_N_WEIGHT. */
    ReadReplicasConfig readReplicas();

    /** Orderly shutdown. */
    ShutdownConfig shutdown();

    /**
     * How the pools open connections to a database, so that after a failover or a restart many pools, and many pods,
     * do not all connect in the same second: a cap per database and a random delay while it recovers.
     */
    ReconnectConfig reconnect();

    /**
     * Transactions run through {@code io.poolwatch.pool.Workloads#inTransaction}: how serialization failures and deadlocks are
     * retried.
     */
    TransactionsConfig transactions();

    /** How often pools and servers are sampled, and how much history is kept. */
    SamplingConfig sampling();

    /** Health: how the databases are validated for the readiness probe. */
    HealthConfig health();

    /** Scheduled data-consistency checks. */
    ConsistencyConfig consistency();

    /** Alert rules, silences and webhook notifications. */
    AlertingConfig alerting();

    /**
     * Applications poolwatch does not own (in any language), watched through the database server's session views and
     * matched by application name, user and client address: {@code poolwatch.applications."<name>".*}.
     */
    @ConfigDocMapKey("name")
    Map<String, ApplicationConfig> applications();

    /** PgBouncer admin consoles to watch, by name: {@code poolwatch.pgbouncer."<name>".url|username|password}. */
    @ConfigDocMapKey("name")
    Map<String, PgBouncerConfig> pgbouncer();

    /** Who blocks whom on each watched database server. */
    BlockingConfig blocking();

    /** Where the dashboard and the JSON API are served. */
    HttpConfig http();

    /** The dashboard and JSON API. */
    DashboardConfig dashboard();

    /** What poolwatch adds to the metrics beside its own meters. */
    MetricsConfig metrics();

    /** Metrics beside poolwatch's own meters. */
    interface MetricsConfig {

        /**
         * Also publish every pool's figures under OpenTelemetry's semantic-convention names for connection pools
         * ({@code db.client.connection.count}, {@code .max}, {@code .idle.max}, {@code .idle.min},
         * {@code .pending_requests}, {@code .timeouts}, tagged {@code db.client.connection.pool.name}) in the metrics
         * registry, and so in the Prometheus scrape at {@code /q/metrics}, beside poolwatch's own names. They read the
         * same counts as {@code poolwatch.pool.*}. The same goes for checkout, lease and connection-creation times, as
         * the histograms {@code db_client_connection_wait_time_seconds}, {@code _use_time_seconds} and
         * {@code _create_time_seconds} (label {@code db_client_connection_pool_name}) beside
         * {@code poolwatch_pool_*_duration_seconds}. False drops these duplicates (about 60 lines per pool in every
         * scrape). The OTLP export (when the application has {@code quarkus-opentelemetry} with metrics on) carries
         * these names whatever this says.
         */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean semanticConventions();
    }

    /** Where the dashboard and the JSON API are served. */
    interface HttpConfig {

        /** The host names accepted when {@code allowed-hosts} is not set: this machine's own. */
        String DEFAULT_ALLOWED_HOSTS = "localhost,*.localhost,127.0.0.1,[::1]";

        /**
         * The path the dashboard and the JSON API are served under: {@code /q/poolwatch} by default, beside the host's
         * {@code /q/health}; the standalone service sets {@code /}. Fixed when the application is built, like
         * {@code quarkus.smallrye-health.root-path}.
         */
        @WithDefault(RootPath.DEFAULT)
        String rootPath();

        /**
         * The host names poolwatch answers to under {@code root-path}, as sent in the {@code Host} header: names
         * ({@code poolwatch.example.com}), wildcards ({@code *.example.com}, any name below it) or {@code *} (any).
         * A request naming another host is refused with 421 before authentication: this stops DNS rebinding, where a
         * web page re-points its own name at a poolwatch the reader's browser can reach. IP addresses
         * ({@code 10.0.3.7}, {@code [::1]}) are always accepted (a page cannot make a browser send one of its own
         * choosing; probes and Prometheus address pods by IP). Set the names a deployment is reached by: an ingress
         * host, a Kubernetes service name ({@code poolwatch.monitoring.svc}).
         */
        @WithDefault(DEFAULT_ALLOWED_HOSTS)
        List<String> allowedHosts();
    }

    /** The dashboard and the JSON API. */
    interface DashboardConfig {

        /**
         * Serve the dashboard and the JSON API. With false, pools, sampling, checks, alerts, health and metrics work
         * as before and nothing is served under {@code poolwatch.http.root-path}. Fixed when the application is built.
         */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean enabled();
    }

    /** Who may see and do what; users and OIDC are Quarkus's own keys (see docs/SECURITY.md). */
    SecurityConfig security();

    /** Access to the dashboard, the API and the metrics. */
    interface SecurityConfig {

        /**
         * Serve the dashboard and API without users on an address other than loopback. Without users or OIDC,
         * poolwatch otherwise refuses to start when {@code quarkus.http.host} is not a loopback address.
         */
        @WithDefault("false")
        boolean allowAnonymous();

        /**
         * Who may scrape {@code /q/metrics}: {@code open} (anyone, as Prometheus usually scrapes), {@code token} (a
         * request with {@code Authorization: Bearer <metrics-token>}) or {@code viewer} (a user with the viewer or
         * admin role).
         */
        @WithDefault("open")
        String metrics();

        /** The bearer token Prometheus sends when {@code metrics=token}; from the environment or a mounted file. */
        Optional<String> metricsToken();

        /**
         * The application's roles that may read the dashboard and the API (besides every admin role). In a host
         * application, name the host's own roles here, such as {@code ops,support}.
         */
        @WithDefault("viewer")
        List<String> viewerRoles();

        /** The application's roles that may act: resets, check runs, silences, fault phases, the audit log. */
        @WithDefault("admin")
        List<String> adminRoles();

        /**
         * The key that signs the dashboard forms' CSRF tokens (HMAC-SHA256), at least 32 characters. Unset, each
         * process chooses a random key when it starts, which is right for one process. Replicas behind a load balancer
         * without sticky sessions need the same key on every replica, so a form rendered by one is accepted by another;
         * from the environment ({@code POOLWATCH_SECURITY_CSRF_KEY}) or a mounted file. Never logged or shown.
         */
        Optional<String> csrfKey();
    }

    /** Several poolwatch processes sharing one database: which of them runs the cluster's jobs. */
    ClusterConfig cluster();

    /**
     * Coordination of replicas through ShedLock locks in the outbox's database (see {@code ClusterJobs} in the cluster
     * package).
     * Consistency checks, notification of alerts about databases, replicas and checks, and outbox delivery run in one
     * process at a time; each process keeps its own pools, samples, metrics and health.
     */
    interface ClusterConfig {

        /**
         * Coordinate with other processes. Built-in: on when the outbox is in a workload's database
         * ({@code poolwatch.alerting.outbox.workload}), where the lock table is kept; off with the local outbox file,
         * which only one process can open.
         */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /**
         * How long the cluster's jobs stay with a process that stopped renewing its lock (it died, froze or lost the
         * database). The holder renews every quarter of this, and the others try as often, so a dead holder is
         * replaced within this plus a quarter of it. Longer than a stop-the-world pause of the JVM, shorter than
         * the delay you accept before checks and notifications resume.
         */
        @WithDefault("30s")
        @WithConverter(Converters.DurationConverter.class)
        Duration lockAtMostFor();
    }

    /**
     * Alerting. Rule and receiver values are read as text and validated together at start-up (every problem named
     * with its key), like the pools and the checks.
     */
    interface AlertingConfig {

        /** Evaluate the rules. When false no alert is raised and nothing is sent. */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean enabled();

        /** How often the rules are evaluated. Built-in: the sampling interval. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> evaluationInterval();

        /**
         * The built-in rules' settings:
         * {@code poolwatch.alerting.rules."<rule>".threshold|for|keep-firing-for|severity|enabled},
         * rules pool-utilization, error-rate, checkout-time, leaked-connections, unhealthy-pools, slow-queries,
         * server-connections, idle-in-transaction, replica-lag, consistency-check. error-rate's alert rises to critical above
         * poolwatch.monitoring.error-rate-critical.
         */
        @ConfigDocMapKey("rule")
        Map<String, RuleConfig> rules();

        /**
         * Receivers by name, {@code poolwatch.alerting.receivers."<name>".type|url|secret|...}: webhooks (the default type),
         * or Alertmanagers ({@code type=alertmanager}), to which poolwatch posts its alerts as Prometheus does.
         */
        @ConfigDocMapKey("receiver")
        Map<String, ReceiverConfig> receivers();

        /**
         * How long a new group of alerts waits before its first notification, so alerts starting together go together.
         * Kept even when shorter than the evaluation interval: a timer sends the group when it runs out.
         */
        @WithDefault("30s")
        @WithConverter(Converters.DurationConverter.class)
        Duration groupWait();

        /** How long after a group's last notification a change in the group (a new or resolved alert) is sent. */
        @WithDefault("5m")
        @WithConverter(Converters.DurationConverter.class)
        Duration groupInterval();

        /** How long after a group's last notification it is sent again when nothing changed. */
        @WithDefault("4h")
        @WithConverter(Converters.DurationConverter.class)
        Duration repeatInterval();

        /** The labels alerts are grouped by into one notification. */
        @WithDefault("alertname")
        List<String> groupBy();

        /** How long a resolved alert stays listed at /api/v1/alerts. */
        @WithDefault("1h")
        @WithConverter(Converters.DurationConverter.class)
        Duration resolvedRetention();

        /**
         * The address of the dashboard, for links in notifications. Built-in: http://&lt;host name&gt;:&lt;port&gt; followed by
         * poolwatch.http.root-path.
         */
        Optional<String> externalUrl();

        /** The instance label of every alert. Built-in: the host name (the pod name on Kubernetes). */
        Optional<String> instance();

        /** Where notifications wait until delivered. */
        OutboxConfig outbox();

        /** The audit log's bounds (admin actions and notification attempts, at /api/v1/audit, in the log and the outbox). */
        AuditConfig audit();
    }

    /**
     * The audit log's bounds. Entries are kept in classes (signed-in users' actions, anonymous actions, refused requests,
     * notification attempts), each bounded on its own, so no class evicts another's; refused requests are counted per
     * window, never kept one by one.
     */
    interface AuditConfig {

        /** How long stored entries are kept. */
        @WithDefault("90d")
        @WithConverter(Converters.DurationConverter.class)
        Duration retention();

        /** Entries kept in the store per class; the newest 1000 of each (at most this many) are also kept in memory. */
        @WithDefault("10000")
        @WithConverter(Converters.IntegerConverter.class)
        int maxEntries();

        /**
         * Refused requests (and anonymous ones that were not done) are counted over windows this long: one entry a window
         * for each caller, address, method, path and status, with its count.
         */
        @WithDefault("1m")
        @WithConverter(Converters.DurationConverter.class)
        Duration refusedWindow();

        /** Entries of refused requests a window at most; the requests beyond are counted in one more entry. */
        @WithDefault("50")
        @WithConverter(Converters.IntegerConverter.class)
        int refusedPerWindow();
    }

    /** One rule's settings, globally or for one workload; every key optional. */
    interface RuleConfig {

        /** The value the rule compares against (see docs/ALERTS.md for each rule's unit). */
        Optional<String> threshold();

        /** How long the condition must hold before the alert fires; 0s fires at once. */
        @WithName("for")
        Optional<String> forDuration();

        /**
         * How long a firing alert keeps firing after the condition clears, so a value hovering at the threshold does not flap.
         */
        Optional<String> keepFiringFor();

        /** info, warning or critical. */
        Optional<String> severity();

        /** false turns the rule off (for one workload when set under the pool). */
        Optional<String> enabled();
    }

    /**
     * A receiver: a webhook (Alertmanager webhook version 4 body, Standard Webhooks signature), or one or more
     * Alertmanagers (their API v2, {@code POST /api/v2/alerts}).
     */
    interface ReceiverConfig {

        /**
         * What the receiver is: {@code webhook} (notifications grouped by poolwatch, POSTed to {@code url}), or
         * {@code alertmanager} (every firing alert posted to each Alertmanager in {@code url} and re-sent every
         * {@code resend-interval}; Alertmanager groups, routes and silences them). Built-in: webhook.
         */
        Optional<String> type();

        /**
         * Where notifications go (http or https). A webhook: the URL notifications are POSTed to. An Alertmanager: its base
         * URL, {@code http://alertmanager:9093} (with its {@code --web.route-prefix} path, if any), to which
         * {@code /api/v2/alerts} is added; several, comma-separated, for an Alertmanager cluster: each gets every alert,
         * as Prometheus sends to each, and one that is down holds up none of the others.
         */
        Optional<String> url();

        /**
         * For {@code type=alertmanager}: how often alerts still firing are posted again, each time with an {@code endsAt}
         * four times this (or four evaluation intervals, when longer) ahead, so that Alertmanager neither resolves them
         * while poolwatch watches them nor keeps them after poolwatch stopped. Built-in: 1m, Prometheus' resend delay.
         * Not accepted for webhooks, which repeat after poolwatch.alerting.repeat-interval.
         */
        Optional<String> resendInterval();

        /**
         * Standard Webhooks secret(s), {@code whsec_<base64 key>}; several, comma-separated, while keys are rotated
         * (each signs, the receiver accepts any). Never logged or shown. Webhooks only: Alertmanager checks no signature.
         */
        Optional<String> secret();

        /** Sent as Authorization: Bearer. Never logged or shown. */
        Optional<String> bearerToken();

        /** Basic authentication user. */
        Optional<String> basicUser();

        /** Basic authentication password. Never logged or shown. */
        Optional<String> basicPassword();

        /** The severities sent, comma-separated, to either type. Built-in: info, warning, critical. */
        Optional<String> severities();

        /**
         * Send a notification when alerts resolve. For an Alertmanager: post resolved alerts with their {@code endsAt};
         * when false, Alertmanager resolves them itself once the last {@code endsAt} it was sent has passed. Built-in: true.
         */
        Optional<String> sendResolved();

        /** Longest wait for the receiver's answer. Built-in: 10s. */
        Optional<String> timeout();

        /**
         * Show the URL's path on the dashboard, in the API, the audit and the log. Built-in: false, since chat services'
         * webhook URLs carry their token in the path: the URL is shown as scheme, host and port, and {@code /****}. Query
         * values are never shown.
         */
        Optional<String> showUrl();
    }

    /** The outbox notifications are written to before they are sent. */
    interface OutboxConfig {

        /**
         * Keep the outbox in this workload's database (schema {@code poolwatch}, created and migrated by Flyway), so every
         * replica of poolwatch shares it. Without it the outbox is a local file under {@link #path()}.
         */
        Optional<String> workload();

        /** Directory of the local outbox file, used when no workload is set. */
        @WithDefault("poolwatch-data")
        String path();

        /** A notification not delivered within this is given up (and recorded as such). */
        @WithDefault("24h")
        @WithConverter(Converters.DurationConverter.class)
        Duration maxAge();

        /**
         * Most attempts per notification. Built-in: enough that max-age, not the count, ends the retries of a receiver down for
         * hours.
         */
        @WithDefault("400")
        @WithConverter(Converters.IntegerConverter.class)
        int maxAttempts();

        /** Wait before the first retry; each retry doubles it, with jitter, up to max-backoff. */
        @WithDefault("1s")
        @WithConverter(Converters.DurationConverter.class)
        Duration initialBackoff();

        /** Longest wait between two attempts. */
        @WithDefault("5m")
        @WithConverter(Converters.DurationConverter.class)
        Duration maxBackoff();

        /** How often the outbox is looked at for notifications due. */
        @WithDefault("1s")
        @WithConverter(Converters.DurationConverter.class)
        Duration pollInterval();
    }

    /** Scheduled data-consistency checks: how they run, and the checks themselves. */
    interface ConsistencyConfig {

        /** Run the configured checks on their schedules. Checks can still be run by hand when false. */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean enabled();

        /** Most checks running at once across every workload, so checks never become the load. */
        @WithDefault("1")
        @WithConverter(Converters.IntegerConverter.class)
        int maxConcurrent();

        /** Results kept per check; the memory used does not grow with uptime. */
        @WithDefault("50")
        @WithConverter(Converters.IntegerConverter.class)
        int historySize();

        /** Delay before a check's first scheduled run after start-up. */
        @WithDefault("10s")
        @WithConverter(Converters.DurationConverter.class)
        Duration initialDelay();

        /**
         * The checks the application defines in code (beans of {@code ProvidedChecks}), such as the standalone service's
         * checks of its demo schema (ledger balance, account balances, orphans, negative balances). Built-in: true when
         * the pools run on the application's fallback database (the service's embedded demo database), false otherwise.
         */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> demoChecks();

        /**
         * The checks, by name: {@code poolwatch.consistency.checks."<name>".<key>=<value>}. The keys (kind, workload,
         * schedule, timeout, severity, table, column ...) depend on the kind and are validated together at start-up by
         * {@code CheckDefinitionParser} in the checks package, which names every unknown or misplaced key; docs/CHECKS.md lists
         * them.
         */
        @ConfigDocMapKey("check")
        Map<String, Map<String, String>> checks();
    }

    /** Background validation behind the health probes. */
    interface HealthConfig {

        /** How often each database is validated, on poolwatch's own monitoring connection and thread. */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration validationInterval();

        /** A validation that has not answered within this is a failure (the probe never waits for it). */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration validationTimeout();

        /** How long a readiness answer is reused, so a storm of probes costs one answer per period. */
        @WithDefault("250ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration responseCache();
    }

    /** One workload's pool. Every key is optional; see the class Javadoc for how a value is chosen. */
    interface PoolConfig {

        /** Whether this workload has a pool. Built-in: true. Set false to disable a standard workload. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /**
         * Database URL: {@code jdbc:postgresql://...}, {@code jdbc:mariadb://...}, {@code jdbc:h2:...}, or the seed forms
         * {@code postgresql://user:pass@host/db}, {@code postgresql+asyncpg://...}, {@code mysql://...},
         * {@code mariadb://...}. Built-in: DATABASE_URL, else the embedded database.
         */
        Optional<String> url();

        /** User name; overrides one given in the URL. */
        Optional<String> username();

        /** Password; overrides one given in the URL. Never logged or shown. */
        Optional<String> password();

        /** Connections kept open (the seed's DB_POOL_SIZE). Built-in: per workload, 1 to 5. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> minSize();

        /** Most connections at once (DB_POOL_SIZE + DB_MAX_OVERFLOW). Built-in: per workload, 5 to 30. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> maxSize();

        /** Connections opened at start-up. Built-in: the min-size. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> initialSize();

        /** Longest wait for a free connection before the caller gets an error (DB_POOL_TIMEOUT). Built-in: 30s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> acquisitionTimeout();

        /** Longest wait to open a new connection (DB_CONNECT_TIMEOUT). Built-in: 10s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> connectTimeout();

        /** Connections older than this are closed and replaced (DB_POOL_RECYCLE); 0 keeps them forever. Built-in: 1h. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> maxLifetime();

        /** Connections idle this long above min-size are closed; 0 never closes them. Built-in: 5m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> idleRemovalInterval();

        /** Validate a connection before handing it out (DB_POOL_PRE_PING). Built-in: true. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> validateOnBorrow();

        /** Interval of background validation of idle connections; 0 turns it off. Built-in: 2m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> backgroundValidationInterval();

        /**
         * Longest a validation query may take, on borrow or in the background, before its connection counts as broken and
         * is closed; in whole seconds, rounded up. A server that has stopped answering then costs a borrower this long, not
         * the socket timeout. Built-in: 5s.
         */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> validationQueryTimeout();

        /** A connection held longer than this is reported as a leak; 0 turns detection off. Built-in: 5m. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> leakDetectionInterval();

        /**
         * Isolation level of every connection: read-uncommitted, read-committed, repeatable-read, serializable.
         * Built-in: read-committed; serializable for financial.
         */
        Optional<String> transactionIsolation();

        /**
         * The server cancels a statement running longer than this (DB_COMMAND_TIMEOUT); 0 means no limit. Built-in: per
         * workload.
         */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> statementTimeout();

        /**
         * The driver gives up on an answer that has not arrived within this and closes the connection with an error, so a
         * server that stops answering fails statements instead of holding their threads (pgjdbc {@code socketTimeout}, in
         * whole seconds rounded up; MariaDB Connector/J {@code socketTimeout}); 0 means none. Must be above the
         * statement-timeout, which the server enforces cleanly. Built-in: the statement-timeout + 15s for main and financial
         * (45s, 25s), none for the others. A {@code socketTimeout} in jdbc-properties or the URL counts when this key is not
         * set; both together are refused.
         */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> socketTimeout();

        /** Connections are read-only, enforced by the server. Built-in: true for analytics, false otherwise. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> readOnly();

        /**
         * Name the server shows for these connections (pg_stat_activity.application_name). Built-in: poolwatch-&lt;name&gt;.
         */
        Optional<String> applicationName();

        /** A critical workload that cannot reach its database makes readiness DOWN. Built-in: true for main and financial. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> critical();

        /** Log every checkout and check-in of this pool (DB_ECHO_POOL). Built-in: false. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> echo();

        /** Additional JDBC driver properties, passed as they are (e.g. sslmode, sslrootcert). */
        @ConfigDocMapKey("property")
        Map<String, String> jdbcProperties();

        /**
         * This workload's alert rule settings, over the global ones:
         * {@code poolwatch.pools."<name>".alerts."<rule>".threshold|for|...}.
         */
        @ConfigDocMapKey("rule")
        Map<String, RuleConfig> alerts();

        /**
         * This workload's read replicas by id: {@code poolwatch.pools."<name>".replicas."<id>".url|weight|name|...}. Each has
         * its own pool, named {@code <name>-replica-<id>} unless {@code name} is set. When present they replace the seed's
         * DB_READ_REPLICAS for this workload. Not allowed under {@code poolwatch.defaults}.
         */
        @ConfigDocMapKey("replica")
        Map<String, ReplicaConfig> replicas();

        /** How reads are routed over the replicas: {@code poolwatch.pools."<name>".read-routing.strategy|max-lag|fallback}. */
        ReadRoutingConfig readRouting();

        /** TLS to the database: {@code poolwatch.pools."<name>".tls.mode|ca-file}; a workload's read replicas use the same. */
        TlsConfig tls();

        /**
         * Closed-loop sizing of this pool's max-size within the server's connection budget:
         * {@code poolwatch.pools."<name>".autosize.mode|floor|ceiling|step|wait-target|raise-cooldown|lower-after}. Not for a
         * read replica's pool.
         */
        AutosizeConfig autosize();
    }

    /**
     * Closed-loop sizing of a pool's max-size. poolwatch raises it by {@code step} when callers time out or the checkout
     * p95 is above {@code wait-target}, and lowers it by {@code step} when the pool stays well under it for
     * {@code lower-after}; never below {@code floor}, above {@code ceiling}, or beyond the server's connection budget: its
     * max_connections, less the reserved slots and {@code poolwatch.sampling.spare-connections}, less the sessions of
     * other applications, divided by {@code poolwatch.sampling.expected-replicas}, less the other pools' max-size there.
     */
    interface AutosizeConfig {

        /**
         * off: the pool keeps its max-size, and the same computation only feeds the dashboard's sizing advice; dry-run:
         * each change it would make is recorded (log, audit, metrics, the pool page) and not applied; on: each change is
         * applied and recorded. Built-in: off.
         */
        Optional<String> mode();

        /** The lowest max-size it lowers to, at least the min-size and 1. Built-in: the min-size (1 if the min-size is 0). */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> floor();

        /** The highest max-size it raises to, at least the max-size. Built-in: none; the server's budget alone bounds it. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> ceiling();

        /** Connections added or removed by one change, 1 to 100. Built-in: 2. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> step();

        /** A checkout p95 above this raises the max-size, as any acquisition timeout does; above zero. Built-in: 100ms. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> waitTarget();

        /**
         * The least time between a change and a raise, and the window over which waits and timeouts are judged; at least
         * the sampling interval counts. Built-in: 15s.
         */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> raiseCooldown();

        /**
         * How long the pool must stay quiet (no timeout, no caller waiting, the checkout p95 under the wait-target, and its
         * peak use below the lowered max-size) before it is lowered, and the least time between a change and a lowering;
         * above zero. Built-in: 5m.
         */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> lowerAfter();
    }

    /**
     * TLS to a pool's database, resolved through the same layers as the pool keys. When neither key is set anywhere, the
     * URL's {@code sslmode}/{@code ssl} parameter (or a driver property passed in {@code jdbc-properties}) decides, else the
     * driver's default (pgjdbc: prefer; MariaDB Connector/J: disable).
     */
    interface TlsConfig {

        /**
         * disable, prefer, require, verify-ca or verify-full, in libpq's sense; mapped to pgjdbc's {@code sslmode} and MariaDB
         * Connector/J's {@code sslMode} (disable, trust, verify-ca, verify-full; prefer connects without TLS there). Wins over
         * the URL's {@code sslmode}.
         */
        Optional<String> mode();

        /**
         * A PEM file with the CA certificate(s) the server's certificate must be signed by, e.g. a mounted Kubernetes secret;
         * required by verify-ca and verify-full (pgjdbc's fallback ~/.postgresql/root.crt is never used), refused with prefer
         * and require (the drivers would not verify with it), unused with disable.
         */
        Optional<String> caFile();
    }

    /** One read replica of a workload. Unset values come from the workload's own pool. */
    interface ReplicaConfig {

        /** The replica's database, in any form a workload's url takes. Required. */
        Optional<String> url();

        /** User name; overrides one in the URL. Built-in: the one in the URL, else the workload's. */
        Optional<String> username();

        /** Password; overrides one in the URL. Never logged or shown. Built-in: the one in the URL, else the workload's. */
        Optional<String> password();

        /** Routing weight, 0 to 1000; 0 takes the replica out of routing (its pool stays open and watched). Built-in: 1. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> weight();

        /** The name of the replica's pool (in metrics, the API and alerts). Built-in: &lt;workload&gt;-replica-&lt;id&gt;. */
        Optional<String> name();

        /** Connections the replica's pool keeps open. Built-in: the workload's min-size. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> minSize();

        /** Most connections the replica's pool opens. Built-in: the workload's max-size. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> maxSize();
    }

    /** Read routing of a workload; every key optional, resolved through the same layers as the pool keys. */
    interface ReadRoutingConfig {

        /** round-robin, or weighted (smooth weighted round-robin over the replicas' weights). Built-in: weighted. */
        Optional<String> strategy();

        /** A replica whose replay lag is above this gets no reads; 0 removes the bound. Built-in: 30s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> maxLag();

        /** When no replica is usable: primary (the workload's own pool serves the read) or fail. Built-in: primary. */
        Optional<String> fallback();
    }

    /** Global monitoring settings. */
    interface MonitoringConfig {

        /** Sample and monitor the pools (DB_MONITOR_ENABLED). Built-in: true. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> enabled();

        /** A statement running longer than this counts as slow (DB_SLOW_QUERY_THRESHOLD). Built-in: 1s. */
        @WithConverter(Converters.DurationConverter.class)
        Optional<Duration> slowQueryThreshold();

        /**
         * Error rate (0..1) above which a pool's error-rate alert is critical (DB_ERROR_RATE_CRITICAL); below it the alert has
         * the rule's severity (warning). One alert per pool, whose severity rises. Built-in: 0.05, the seed guide's value and
         * the same as the error-rate rule's threshold, so by default every error-rate alert is critical.
         */
        Optional<Double> errorRateCritical();

        /** Number of leaked connections that raises an alert (DB_CONNECTION_LEAK_THRESHOLD). Built-in: 5. */
        @WithConverter(Converters.IntegerConverter.class)
        Optional<Integer> leakThreshold();

        /** Log every SQL statement run through the pools (DATABASE_ECHO, DB_ECHO). Built-in: false. */
        @WithConverter(Converters.StrictBooleanConverter.class)
        Optional<Boolean> sqlEcho();
    }

    /** Where the seed's read replicas belong. */
    interface ReadReplicasConfig {

        /** The workload whose reads DB_READ_REPLICAS serve (unless it has replicas of its own under poolwatch.pools). */
        @WithDefault("main")
        String workload();
    }

    /** One application poolwatch does not own; every key is optional. */
    interface ApplicationConfig {

        /**
         * The application name its sessions report ({@code application_name} on PostgreSQL, {@code program_name} where
         * MariaDB's performance_schema is on): exact, or a glob with {@code *} and {@code ?}. Built-in: the definition's own
         * name; {@code *} matches any name (then match on user or address).
         */
        Optional<String> applicationName();

        /** Only sessions of this database user (exact, or a glob with {@code *} and {@code ?}). Built-in: any user. */
        Optional<String> user();

        /**
         * Only sessions from this client address or network, in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}). Built-in:
         * any.
         */
        Optional<String> clientAddress();

        /** Only sessions on this database name. Built-in: every database poolwatch watches. */
        Optional<String> database();

        /**
         * The sessions the application may open: its pool size plus overflow, times its instances. Utilization, and the
         * application-sessions rule, are computed against it. Built-in: none (no utilization).
         */
        Optional<String> expectedMax();

        /** Overrides of the application rules for this application; same keys as {@code poolwatch.alerting.rules}. */
        @ConfigDocMapKey("rule")
        Map<String, RuleConfig> alerts();
    }

    /** One PgBouncer's admin console; the user must be in PgBouncer's {@code stats_users} (or {@code admin_users}). */
    interface PgBouncerConfig {

        /**
         * The admin console: {@code postgresql://host:port/pgbouncer}, {@code jdbc:postgresql://host:port/pgbouncer} or
         * {@code host:port}.
         */
        Optional<String> url();

        /** The user poolwatch logs in to the console as. */
        Optional<String> username();

        /** Its password; never logged or shown. */
        Optional<String> password();

        /** Overrides of the PgBouncer rules for this PgBouncer; same keys as {@code poolwatch.alerting.rules}. */
        @ConfigDocMapKey("rule")
        Map<String, RuleConfig> alerts();
    }

    /** Who blocks whom, read from each PostgreSQL server's {@code pg_blocking_pids} and MariaDB's lock-wait views. */
    interface BlockingConfig {

        /** Whether blocking is read at all. */
        @WithDefault("true")
        @WithConverter(Converters.StrictBooleanConverter.class)
        boolean enabled();

        /** At most this many sessions are kept in a database's blocking tree; the rest are counted, not listed. */
        @WithDefault("200")
        @WithConverter(Converters.IntegerConverter.class)
        int maxSessions();
    }

    /** Sampling of the pools and of the database servers. */
    interface SamplingConfig {

        /** How often every pool is sampled. */
        @WithDefault("5s")
        @WithConverter(Converters.DurationConverter.class)
        Duration interval();

        /** How often each database server's session views are read. */
        @WithDefault("15s")
        @WithConverter(Converters.DurationConverter.class)
        Duration serverInterval();

        /** How much pool history is kept in memory; the memory used does not grow with uptime. */
        @WithDefault("1h")
        @WithConverter(Converters.DurationConverter.class)
        Duration history();

        /** The window the error rate (failed acquisitions / attempts) is computed over. */
        @WithDefault("1m")
        @WithConverter(Converters.DurationConverter.class)
        Duration errorRateWindow();

        /**
         * Replicas of poolwatch expected to run against the same databases, for the server-capacity advice and the
         * autosizing budget, which each replica takes its share of.
         */
        @WithDefault("1")
        @WithConverter(Converters.IntegerConverter.class)
        int expectedReplicas();

        /**
         * Connection slots on each server that autosizing leaves free beyond the server's reserved ones, for
         * administrators and the growth of other applications, 0 to 10000.
         */
        @WithDefault("2")
        @WithConverter(Converters.IntegerConverter.class)
        int spareConnections();

        /** Statement timeout of the server-side queries, so a hung server cannot hold the sampler. */
        @WithDefault("2s")
        @WithConverter(Converters.DurationConverter.class)
        Duration serverQueryTimeout();

        /**
         * The user poolwatch's monitoring connections log in as, on every database it watches: one monitoring connection
         * per database, shared by its workloads. A user of its own can hold a slot the server reserves for it (PostgreSQL 16
         * {@code reserved_connections} with {@code pg_use_reserved_connections}; MariaDB {@code CONNECTION ADMIN}) that the
         * workloads cannot take. It needs to read the session views ({@code pg_read_all_stats} on PostgreSQL, {@code
         * PROCESS} on MariaDB). Built-in: each workload's own user, one monitoring connection per database and user.
         */
        Optional<String> monitorUsername();

        /** The password of {@code monitor-username}; never logged or shown. Built-in: none. */
        Optional<String> monitorPassword();
    }

    /** Opening connections to a database: a cap per database and a random delay while it recovers. */
    interface ReconnectConfig {

        /**
         * Most physical connections this process opens to one database at once, across every pool on it (the monitoring
         * connection is not counted), 0 to 1000; 0: no cap. A connection waits for its turn at most the longest
         * connect-timeout of the pools on that database, then opens all the same: the cap spreads a storm, it never keeps
         * a pool from its database.
         */
        @WithDefault("4")
        @WithConverter(Converters.IntegerConverter.class)
        int maxConcurrentOpens();

        /**
         * For 30s after a connection to a database could not be opened (it was down, or failing over), each new
         * connection to it first waits a random time up to this, so that pools and pods that recover together spread
         * their connections out; 0 to 1m, 0: none.
         */
        @WithDefault("500ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration jitter();
    }

    /** Orderly shutdown. */
    interface ShutdownConfig {

        /** How long borrowed connections may take to come back before every pool is closed anyway. */
        @WithDefault("15s")
        @WithConverter(Converters.DurationConverter.class)
        Duration drainTimeout();
    }

    /**
     * Retries of {@code Workloads.inTransaction}. A transaction the database aborted as a serialization failure
     * (SQLSTATE 40001) or a deadlock victim (40P01, MariaDB/MySQL error 1213) is run again on a fresh connection,
     * after a jittered exponential backoff; any other failure is rolled back and rethrown at once.
     */
    interface TransactionsConfig {

        /** Runs after the first one, 0 to 100; 0 turns retries off. */
        @WithDefault("3")
        @WithConverter(Converters.IntegerConverter.class)
        int maxRetries();

        /**
         * Wait before the first retry; each further retry doubles it, up to max-backoff. The wait is jittered: half of it, plus
         * up to the other half at random.
         */
        @WithDefault("10ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration initialBackoff();

        /** Longest wait between two runs, at least initial-backoff and at most 1m. */
        @WithDefault("200ms")
        @WithConverter(Converters.DurationConverter.class)
        Duration maxBackoff();
    }
}
