package io.poolwatch.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.poolwatch.engine.Dialect;
import io.poolwatch.engine.TlsMode;

/**
 * Chooses a pool's TLS settings and the driver properties that carry them. The {@code tls.*} keys win over the URL's
 * {@code sslmode}; without them, a TLS driver property in {@code jdbc-properties}, then the URL's parameter, then the
 * driver's default decide. Every problem is added to the list with the key, the value and what is accepted; the result
 * is only used when there is none.
 */
final class TlsResolver {

    private static final String CA_ACCEPTED = "a readable file with the CA certificate(s) in PEM (or DER) form, such as a mounted "
            + "Kubernetes secret";

    private TlsResolver() {
    }

    /** A value and the key (or parameter) it came from. */
    record Setting(String value, String source) {
    }

    /** The TLS settings of a pool and the driver properties to put over the others (empty when none need setting). */
    record Result(TlsSettings settings, Map<String, String> driverProperties) {

        Result {
            driverProperties = Map.copyOf(driverProperties);
        }
    }

    /** Checks a CA file: empty when usable, else why not. */
    static Optional<String> caFileProblem(String file) {
        Path path;
        try {
            path = Path.of(file.trim());
        } catch (RuntimeException e) {
            return Optional.of("not a valid path");
        }
        if (file.isBlank()) {
            return Optional.of("empty");
        }
        if (!Files.exists(path)) {
            return Optional.of("no such file");
        }
        if (!Files.isRegularFile(path)) {
            return Optional.of("not a regular file");
        }
        if (!Files.isReadable(path)) {
            return Optional.of("not readable by this process");
        }
        try (InputStream in = Files.newInputStream(path)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                return Optional.of("holds no certificate");
            }
        } catch (CertificateException e) {
            return Optional.of("holds no X.509 certificate (" + e.getMessage() + ")");
        } catch (IOException e) {
            return Optional.of("cannot be read (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /**
     * Resolves the TLS of one pool.
     *
     * @param pool the pool's name, for messages
     * @param url its database
     * @param urlSource the key or variable the URL came from
     * @param mode {@code tls.mode} from the nearest layer that has it
     * @param caFile {@code tls.ca-file} from the nearest layer that has it
     * @param rawProperties the pool's {@code jdbc-properties}, each with the key it came from
     * @param poolKey the pool's key prefix, {@code poolwatch.pools."<name>".}, for what to set
     * @param problems where problems are added
     */
    static Result resolve(String pool, DatabaseUrl url, String urlSource, Optional<Setting> mode, Optional<Setting> caFile,
            Map<String, Setting> rawProperties, String poolKey, List<String> problems) {
        boolean keys = mode.isPresent() || caFile.isPresent();
        Optional<TlsMode> keyMode = Optional.empty();
        if (mode.isPresent()) {
            keyMode = TlsMode.fromConfig(mode.get().value());
            if (keyMode.isEmpty()) {
                problems.add(
                        mode.get().source() + "=" + mode.get().value() + ": unknown TLS mode; accepted: " + TlsMode.ACCEPTED);
            }
        }
        Optional<String> caPath = Optional.empty();
        if (caFile.isPresent()) {
            Optional<String> problem = caFileProblem(caFile.get().value());
            if (problem.isPresent()) {
                problems.add(caFile.get().source() + "=" + caFile.get().value() + ": " + problem.get() + "; accepted: "
                        + CA_ACCEPTED);
            } else {
                caPath = Optional.of(Path.of(caFile.get().value().trim()).toAbsolutePath().normalize().toString());
            }
        }
        Dialect dialect = url.kind().dialect();
        if (dialect.tls().isEmpty()) {
            if (keyMode.isPresent() && keyMode.get() != TlsMode.DISABLE) {
                problems.add(mode.get().source() + "=" + mode.get().value() + " applies to pool '" + pool
                        + "', whose database is " + dialect.displayName() + " ("
                        + url.masked() + "), which takes no TLS settings; accepted: " + poolKey + "tls.mode=disable");
            }
            return new Result(TlsSettings.notApplicable(keys ? "not applicable to " + dialect.displayName() : "built-in"),
                    Map.of());
        }
        Dialect.DriverTls tls = dialect.tls().get();
        List<String> driverKeys = tls.keys();
        Map<String, Setting> raw = new LinkedHashMap<>();
        rawProperties.forEach((k, v) -> {
            if (driverKeys.stream().anyMatch(d -> d.equalsIgnoreCase(k))) {
                raw.put(canonical(k, driverKeys), v);
            }
        });
        // Parameters left in the JDBC URL: the drivers let them override any property, so they cannot be combined with the keys.
        Map<String, Setting> inJdbcUrl = new LinkedHashMap<>();
        urlParameters(url.jdbcUrl()).forEach((k, v) -> {
            if (driverKeys.stream().anyMatch(d -> d.equalsIgnoreCase(k))) {
                inJdbcUrl.put(canonical(k, driverKeys), new Setting(v, urlSource + " (URL parameter " + k + ")"));
            }
        });
        // The seed URL forms carry ssl/sslmode as driver properties already translated (ssl=require is sslmode=require).
        Map<String, Setting> inUrl = new LinkedHashMap<>(inJdbcUrl);
        url.driverProperties().forEach((k, v) -> inUrl.putIfAbsent(k, new Setting(v, urlSource + " (URL parameter sslmode)")));

        Setting chosenMode;
        TlsMode effective;
        Optional<Setting> chosenCa;
        Map<String, String> driver = new LinkedHashMap<>();
        if (keys) {
            String keyNamed = mode.map(Setting::source).orElseGet(() -> caFile.get().source());
            raw.forEach(
                    (k, v) -> problems.add(v.source() + "=" + v.value() + " and " + keyNamed + " both set TLS for pool '" + pool
                            + "'; accepted: the tls.* keys alone (remove the driver property)"));
            inJdbcUrl.forEach(
                    (k, v) -> problems.add(v.source() + ": the URL's " + k + "=" + v.value() + " would override " + keyNamed
                            + " in the driver; accepted: the tls.* keys alone (remove the parameter from the URL)"));
            Optional<Setting> fromUrl = Optional.ofNullable(inUrl.get(tls.modeKey()));
            chosenMode = mode.orElseGet(() -> fromUrl.orElse(new Setting(tls.defaultMode().configName(), "built-in")));
            effective = keyMode.orElseGet(() -> fromUrl.flatMap(s -> tls.mode(s.value())).orElse(tls.defaultMode()));
            chosenCa = caPath.map(p -> new Setting(p, caFile.get().source()));
        } else {
            Map<String, Setting> given = new LinkedHashMap<>(inUrl);
            given.putAll(raw);
            Optional<Setting> m = Optional.empty();
            Optional<TlsMode> parsed = Optional.empty();
            Map<String, String> givenValues = new LinkedHashMap<>();
            given.forEach((k, v) -> givenValues.put(k, v.value()));
            Optional<Map.Entry<String, TlsMode>> legacy = tls.legacyMode(givenValues);
            if (given.containsKey(tls.modeKey())) {
                m = Optional.of(given.get(tls.modeKey()));
                parsed = tls.mode(m.get().value());
            } else if (legacy.isPresent()) {
                m = Optional.of(given.get(legacy.get().getKey()));
                parsed = Optional.of(legacy.get().getValue());
            }
            chosenCa = Optional.ofNullable(given.get(tls.caKey()));
            if (m.isPresent() && parsed.isEmpty()) {
                problems.add(m.get().source() + "=" + m.get().value() + ": unknown TLS mode for the " + url.kind().label()
                        + " driver; accepted: " + tls.modesAccepted() + ", or " + poolKey + "tls.mode");
            }
            chosenMode = m.orElse(new Setting(tls.defaultMode().configName(), "built-in"));
            effective = parsed.orElse(tls.defaultMode());
        }
        if (effective.verifies() && chosenCa.isEmpty()) {
            problems.add(chosenMode.source() + "=" + chosenMode.value() + " for pool '" + pool + "': " + effective.configName()
                    + " needs the CA certificate to verify the server against, and poolwatch does not fall back to the driver's "
                    + "default (~/.postgresql/root.crt, the JVM trust store); accepted: " + poolKey + "tls.ca-file (or "
                    + "poolwatch.defaults.tls.ca-file) naming " + CA_ACCEPTED);
        }
        if (chosenCa.isPresent() && !effective.verifies() && effective != TlsMode.DISABLE) {
            problems.add(chosenCa.get().source() + "=" + chosenCa.get().value() + " with " + chosenMode.source() + "="
                    + chosenMode.value() + " for pool '" + pool + "': the driver does not verify the server in mode "
                    + effective.configName() + ", so the CA file would give a false sense of safety; accepted: " + poolKey
                    + "tls.mode=verify-full (or verify-ca), or no CA file");
        }
        if (keys) {
            driver.putAll(tls.properties(effective, chosenCa.map(Setting::value)));
        }
        Optional<Setting> shownCa = effective.verifies() ? chosenCa : Optional.empty();
        return new Result(
                new TlsSettings(true, effective, chosenMode.source(), shownCa.map(Setting::value),
                        shownCa.map(Setting::source)),
                driver);
    }

    private static String canonical(String key, List<String> driverKeys) {
        return driverKeys.stream().filter(d -> d.equalsIgnoreCase(key)).findFirst().orElse(key);
    }

    /** The query parameters of a JDBC URL (pgjdbc and MariaDB both use {@code ?k=v&k=v}). */
    static Map<String, String> urlParameters(String jdbcUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq >= 0 ? pair.substring(0, eq) : pair;
            String v = eq >= 0 ? pair.substring(eq + 1) : "";
            try {
                v = URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // Left as written: the driver will complain about it itself.
            }
            out.put(k.trim(), v);
        }
        return out;
    }
}
