package io.poolwatch.web;

import static io.poolwatch.web.HtmlPages.html;
import static io.poolwatch.web.HtmlPages.named;
import static io.poolwatch.web.HtmlPages.notFound;
import static io.poolwatch.web.HtmlPages.refused;
import static io.poolwatch.web.HtmlPages.withLivePart;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.poolwatch.alerting.Alerting;
import io.poolwatch.alerting.Silence;
import io.poolwatch.checks.CheckResult;
import io.poolwatch.checks.ConsistencyChecks;
import io.poolwatch.config.Durations;
import io.poolwatch.config.RootPath;
import io.poolwatch.pool.FaultPhases;
import io.poolwatch.pool.PoolRegistry;
import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.sampling.SizingAdvice;
import io.poolwatch.web.DashboardModel.AlertBanner;
import io.poolwatch.web.DashboardModel.AlertsPage;
import io.poolwatch.web.DashboardModel.CheckRow;
import io.poolwatch.web.DashboardModel.FaultForm;
import io.poolwatch.web.DashboardModel.Faults;
import io.poolwatch.web.DashboardModel.Page;
import io.poolwatch.web.DashboardModel.PoolList;
import io.poolwatch.web.DashboardModel.PoolPage;
import io.poolwatch.web.DashboardModel.ServerRow;
import io.poolwatch.web.DashboardModel.SilenceForm;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The dashboard: server-rendered pages (overview, a pool, alerts, checks) whose sections are Qute fragments that the
 * page refreshes on the sampling interval ({@code ?fragment=<id>}, fetched by htmx), and the admin forms.
 * <p>
 * Admin actions are form POSTs under {@code /actions/}, each answered with a 303 back to a page, so they work without
 * scripts. Nothing here checks who asks: {@link io.poolwatch.security.AccessPolicy} lets only the admin role POST, and
 * {@link CsrfProtection} refuses a form whose {@code _csrf} field (written by the {@code csrf} tag) is not a token the
 * server signed for this user and the {@code poolwatch-csrf} cookie, before any of these methods runs. Each action
 * checks every field it takes before it acts: a refused field leaves nothing done.
 */
@Singleton
@RootedPath("/")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    /** Longest a "run now" form waits for the check's result beyond its own timeout, before answering that it is running. */
    static final long RUN_WAIT_GRACE_SECONDS = 5;
    /**
     * A local path to go back to after an action: no scheme, no host, no query, {@code %XX} escapes only, an optional anchor.
     */
    private static final Pattern LOCAL_PATH = Pattern.compile("/(?!/)(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})*(#[A-Za-z0-9._-]*)?");
    /** The longest {@code back} accepted. */
    static final int MAX_BACK_LENGTH = 1024;

    @CheckedTemplate
    public static class Templates {
        public static native TemplateInstance index(Page page, AlertBanner banner, PoolList pools, double utilizationWarning,
                String history, List<CheckRow> checks, List<ServerRow> servers,
                List<SizingAdvice> advice, Faults faults, boolean observedFirst, ApplicationViews.ApplicationOverview apps,
                boolean showApplications, List<PgBouncerViews.PgBouncerCard> pgbouncers,
                List<BlockingViews.BlockingCard> blocking,
                boolean blockingEnabled);

        public static native TemplateInstance index$alerts(Page page, AlertBanner banner);

        public static native TemplateInstance index$pools(Page page, PoolList pools);

        public static native TemplateInstance index$applications(Page page, ApplicationViews.ApplicationOverview apps);

        public static native TemplateInstance index$pgbouncers(Page page, List<PgBouncerViews.PgBouncerCard> pgbouncers);

        public static native TemplateInstance index$blocking(Page page, List<BlockingViews.BlockingCard> blocking,
                boolean blockingEnabled);

        public static native TemplateInstance index$checks(Page page, List<CheckRow> checks);

        public static native TemplateInstance index$servers(Page page, List<ServerRow> servers, List<SizingAdvice> advice);

        public static native TemplateInstance index$faults(Page page, Faults faults);

        public static native TemplateInstance pool(Page page, PoolPage pool);

        public static native TemplateInstance pool$live(Page page, PoolPage pool);

        public static native TemplateInstance alerts(Page page, AlertsPage alerts);

        public static native TemplateInstance alerts$active(Page page, AlertsPage alerts);

        public static native TemplateInstance alerts$delivery(Page page, AlertsPage alerts);

        public static native TemplateInstance checks(Page page, List<CheckRow> checks);

        public static native TemplateInstance checks$list(Page page, List<CheckRow> checks);

        public static native TemplateInstance notFound(Page page, String what);
    }

    private final DashboardViews views;
    private final OverviewViews overviews;
    private final CheckPageViews checkPages;
    private final FaultViews faults;
    private final AlertsPageViews alertsPages;
    private final PoolPageViews poolPages;
    private final PoolRegistry registry;
    private final PoolSampler sampler;
    private final ConsistencyChecks checks;
    private final Alerting alerting;

    private final ApplicationViews applications;
    private final PgBouncerViews pgbouncers;
    private final BlockingViews blocking;

    DashboardResource(DashboardViews views, OverviewViews overviews, CheckPageViews checkPages, FaultViews faults,
            AlertsPageViews alertsPages, PoolPageViews poolPages, PoolRegistry registry,
            PoolSampler sampler,
            ConsistencyChecks checks,
            Alerting alerting,
            ApplicationViews applications, PgBouncerViews pgbouncers, BlockingViews blocking) {
        this.applications = applications;
        this.pgbouncers = pgbouncers;
        this.blocking = blocking;
        this.views = views;
        this.overviews = overviews;
        this.checkPages = checkPages;
        this.faults = faults;
        this.alertsPages = alertsPages;
        this.poolPages = poolPages;
        this.registry = registry;
        this.sampler = sampler;
        this.checks = checks;
        this.alerting = alerting;
    }

    // --- pages -----------------------------------------------------------------------------------------------------

    /**
     * The overview, or one of its fragments. The pools show a page at a time ({@link PoolFilter}: {@code ?q=},
     * {@code ?show=}, {@code ?page=}, which the pools fragment's own refresh carries); a refused one is answered 400 with
     * every pool's first page and a line naming the parameter, the value and what is accepted.
     */
    @GET
    public Response index(@QueryParam("fragment") String fragment, @QueryParam("done") String done,
            @QueryParam("pool") String pool,
            @QueryParam("check") String check, @QueryParam("fault") String fault, @QueryParam("q") String q,
            @QueryParam("show") String show,
            @QueryParam("page") String pageNumber) {
        Page page = views.page("Pools", "overview", notice(done, pool, check, fault));
        PoolFilter filter = PoolFilter.NONE;
        String filterError = null;
        if (fragment == null || fragment.equals("pools")) {
            try {
                filter = PoolFilter.parse(q, show, pageNumber);
            } catch (PoolFilter.Invalid e) {
                filterError = e.getMessage();
            }
        }
        if (fragment != null) {
            return switch (fragment) {
                case "alerts" -> html(Templates.index$alerts(page, overviews.banner()));
                case "pools" -> {
                    TemplateInstance t = Templates.index$pools(page, overviews.poolList(filter, filterError));
                    yield filterError == null ? html(t) : refused(t);
                }
                case "applications" -> html(Templates.index$applications(page, applications.overview()));
                case "pgbouncers" -> html(Templates.index$pgbouncers(page, pgbouncers.cards()));
                case "blocking" -> html(Templates.index$blocking(page, blocking.cards(), blocking.enabled()));
                case "checks" -> html(Templates.index$checks(page, checkPages.checkRows(false)));
                case "servers" -> {
                    ServerViews.ServerView server = overviews.serverView();
                    yield html(Templates.index$servers(page, overviews.serverRows(server), server.advice()));
                }
                case "faults" ->
                    faults.faultPhases().isPresent() ? html(Templates.index$faults(page, faults.faults(faults.faultForm())))
                            : notFound(page, "fragment 'faults' (this application has no fault phases)");
                default -> notFound(page, named("fragment", fragment));
            };
        }
        TemplateInstance t = overview(page, faults.faultForm(), filter, filterError);
        return filterError == null ? html(t) : refused(t);
    }

    private TemplateInstance overview(Page page, FaultForm form) {
        return overview(page, form, PoolFilter.NONE, null);
    }

    private TemplateInstance overview(Page page, FaultForm form, PoolFilter filter, String filterError) {
        DashboardModel.Overview o = overviews.overview(filter, filterError);
        ApplicationViews.ApplicationOverview apps = applications.overview();
        boolean showApplications = apps.defined() > 0 || !apps.suggestions().isEmpty();
        return Templates.index(page, o.alerts(), o.pools(), o.utilizationWarning(), o.history(), o.checks(),
                o.servers(), o.advice(), faults.faults(form), !page.embedded(), apps, showApplications, pgbouncers.cards(),
                blocking.cards(),
                blocking.enabled());
    }

    @GET
    @Path("pools/{name}")
    public Response pool(@PathParam("name") String name, @QueryParam("fragment") String fragment,
            @QueryParam("done") String done) {
        if (!registry.names().contains(name)) {
            return notFound(views.page("Not found", "", null), named("pool", name));
        }
        Page page = views.page("Pool " + name, "pool", notice(done, name, null, null));
        PoolPage view = poolPages.poolPage(name);
        return withLivePart(page, fragment, () -> Templates.pool(page, view), () -> Templates.pool$live(page, view));
    }

    /**
     * The alerts page; its silences are shown {@link io.poolwatch.config.Limits#PAGE_SILENCES} at a time, from
     * {@code ?silences-from=} (a position past the end, or not a number, shows the first ones).
     */
    @GET
    @Path("alerts")
    public Response alerts(@QueryParam("fragment") String fragment, @QueryParam("done") String done,
            @QueryParam("silence") String silence,
            @QueryParam("silences-from") String silencesFrom) {
        Page page = views.page("Alerts", "alerts", notice(done, null, null, null));
        int from = 0;
        if (silencesFrom != null && silencesFrom.matches("[0-9]{1,6}")) {
            from = Integer.parseInt(silencesFrom);
        }
        AlertsPage view = alertsPages.alertsPage(silence == null ? SilenceForm.blank() : alertsPages.silenceFormFor(silence),
                from);
        if (fragment != null) {
            return switch (fragment) {
                case "active" -> html(Templates.alerts$active(page, view));
                case "delivery" -> html(Templates.alerts$delivery(page, view));
                default -> notFound(page, named("fragment", fragment));
            };
        }
        return html(Templates.alerts(page, view));
    }

    @GET
    @Path("checks")
    public Response checks(@QueryParam("fragment") String fragment, @QueryParam("done") String done,
            @QueryParam("check") String check) {
        Page page = views.page("Consistency checks", "checks", notice(done, null, check, null));
        List<CheckRow> rows = checkPages.checkRows(true);
        if (fragment != null) {
            return "list".equals(fragment) ? html(Templates.checks$list(page, rows))
                    : notFound(page, named("fragment", fragment));
        }
        return html(Templates.checks(page, rows));
    }

    // --- admin actions: form POSTs, 303 back ---------------------------------------------------------------------

    @POST
    @Path("actions/pools/{name}/reset-metrics")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetMetrics(@PathParam("name") String name, @FormParam("back") String back) {
        Optional<Response> badBack = badBack(back);
        if (badBack.isPresent()) {
            return badBack.get();
        }
        if (!registry.names().contains(name)) {
            return notFound(views.page("Not found", "", null), named("pool", name));
        }
        sampler.reset(name);
        return back(back, RootPath.link("/pools/" + enc(name)), "done=reset&pool=" + enc(name));
    }

    @POST
    @Path("actions/checks/{name}/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response runCheck(@PathParam("name") String name, @FormParam("back") String back) {
        Optional<Response> badBack = badBack(back);
        if (badBack.isPresent()) {
            return badBack.get();
        }
        if (checks.definitions().stream().noneMatch(d -> d.name().equals(name))) {
            return notFound(views.page("Not found", "", null), named("check", name));
        }
        String done = "ran";
        try {
            checks.runNow(name).get(checks.definition(name).timeout().toSeconds() + RUN_WAIT_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            done = "running";
        } catch (ExecutionException e) {
            done = "ran";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = "running";
        }
        return back(back, RootPath.link("/checks"), "done=" + done + "&check=" + enc(name), name);
    }

    @POST
    @Path("actions/silences")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response silence(@FormParam("matcher") List<String> names,
            @FormParam("op") List<String> ops, @FormParam("value") List<String> values, @FormParam("duration") String duration,
            @FormParam("comment") String comment, @FormParam("createdBy") String createdBy) {
        List<Silence.Matcher> matchers = new ArrayList<>();
        List<Map.Entry<String, String>> echoed = new ArrayList<>();
        String error = null;
        for (int i = 0; i < (names == null ? 0 : names.size()); i++) {
            String n = names.get(i) == null ? "" : names.get(i).trim();
            String v = values != null && i < values.size() && values.get(i) != null ? values.get(i) : "";
            String op = ops != null && i < ops.size() && ops.get(i) != null ? ops.get(i) : "=";
            if (n.isEmpty() && v.isEmpty()) {
                continue;
            }
            echoed.add(Map.entry(n, v));
            switch (op) {
                case "=" -> matchers.add(new Silence.Matcher(n, v, false, true));
                case "!=" -> matchers.add(new Silence.Matcher(n, v, false, false));
                case "=~" -> matchers.add(new Silence.Matcher(n, v, true, true));
                case "!~" -> matchers.add(new Silence.Matcher(n, v, true, false));
                default -> error = "op=" + op + ": accepted: =, !=, =~, !~";
            }
        }
        Instant endsAt = null;
        if (error == null) {
            try {
                endsAt = Instant.now().plus(Durations.parse(duration == null ? "" : duration));
            } catch (IllegalArgumentException e) {
                error = "duration: " + e.getMessage();
            }
        }
        if (error == null) {
            try {
                alerting.silences().create(matchers, endsAt,
                        createdBy == null || createdBy.isBlank() ? "dashboard" : createdBy.trim(), comment);
                return back(null, RootPath.link("/alerts"), "done=silenced");
            } catch (IllegalArgumentException | IllegalStateException e) {
                error = e.getMessage();
            }
        }
        echoed.add(Map.entry("", ""));
        SilenceForm form = new SilenceForm(echoed, duration, comment, createdBy, error);
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.alerts(views.page("Alerts", "alerts", null), alertsPages.alertsPage(form))).build();
    }

    @POST
    @Path("actions/silences/{id}/expire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response expire(@PathParam("id") String id) {
        if (alerting.silences().expire(id).isEmpty()) {
            return notFound(views.page("Not found", "", null), named("silence", id));
        }
        return back(null, RootPath.link("/alerts"), "done=expired");
    }

    /**
     * Starts a fault phase of the load simulator ({@link FaultPhases#start}), as {@code POST /api/v1/simulator/faults/{kind}}
     * does. Every field is checked before anything starts; a refused form answers 400 with the overview, the values as
     * submitted and what is wrong with them. Where the application has no fault phases that can run (a host application,
     * the service pointed at a real database), the action does not exist: 404, as the overview does not offer it.
     */
    @POST
    @Path("actions/faults")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response fault(@FormParam("kind") String kind,
            @FormParam("workload") String workload, @FormParam("duration") String duration) {
        String kindValue = kind == null ? "" : kind.trim();
        String workloadValue = workload == null ? "" : workload.trim();
        String durationValue = duration == null ? "" : duration.trim();
        String error = null;
        Optional<Duration> length = Optional.empty();
        Optional<FaultPhases> phases = faults.faultPhases();
        if (phases.isEmpty()) {
            return notFound(views.page("Not found", "", null), "fault phases (they run only where the load simulator can: "
                    + "the standalone service on its demo database)");
        }
        List<String> kinds = faults.faultKinds();
        if (!kinds.contains(kindValue)) {
            error = "kind=" + kindValue + ": accepted: " + String.join(", ", kinds);
        } else if (!registry.names().contains(workloadValue)) {
            error = "workload=" + workloadValue + ": no such pool; accepted: " + String.join(", ", registry.names());
        } else if (!durationValue.isEmpty()) {
            try {
                length = Optional.of(Durations.parse(durationValue));
            } catch (IllegalArgumentException e) {
                error = "duration=" + durationValue + ": " + e.getMessage() + ", or empty for the kind's default";
            }
        }
        if (error == null) {
            try {
                FaultPhases.Fault started = phases.get().start(kindValue, workloadValue, length);
                return back(null, RootPath.link("/"), "done=fault&fault=" + started.id(), "fault-phases");
            } catch (IllegalArgumentException e) {
                // The injector's own limits (at most 10 minutes, 10 at once, an engine or pool it cannot run on), each naming its
                // field; the API's "fault" is this form's "kind".
                error = e.getMessage().startsWith("fault=") ? "kind=" + e.getMessage().substring("fault=".length())
                        : e.getMessage();
            }
        }
        Page page = views.page("Pools", "overview", null);
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(overview(page, faults.faultForm(kindValue, workloadValue, durationValue, error))).build();
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** What a page says after an action; only fixed texts and names that exist, never what a query string says. */
    private String notice(String done, String pool, String check, String fault) {
        if (done == null) {
            return null;
        }
        boolean knownPool = pool != null && registry.names().contains(pool);
        boolean knownCheck = check != null && checks.definitions().stream().anyMatch(d -> d.name().equals(check));
        return switch (done) {
            case "reset" -> knownPool ? "Metrics of pool " + pool + " reset: counts start again from zero." : null;
            case "ran" -> knownCheck
                    ? "Check " + check + " ran: " + checks.latest(check).map(CheckResult::status).orElse("no result") + "."
                    : null;
            case "running" -> knownCheck ? "Check " + check + " is still running; its result will show here." : null;
            case "silenced" -> "Silence created: matching alerts are still listed, but not notified.";
            case "expired" -> "Silence ended.";
            case "fault" -> faults.faultPhases().map(FaultPhases::faults).orElse(List.of()).stream()
                    .filter(f -> Integer.toString(f.id()).equals(fault)).findFirst()
                    .map(f -> "Fault " + f.kind() + " started on " + f.workload() + " until " + DashboardFormat.clock(f.until())
                            + " UTC.")
                    .orElse(null);
            default -> null;
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A page or fragment answering refused query parameters: 400, and not cached either. */

    private static Response back(String requested, String fallback, String query) {
        return back(requested, fallback, query, null);
    }

    /**
     * A form's {@code back} field, checked before the action runs: none (the action's own page), or a path under
     * poolwatch's root of letters, digits, {@code . _ ~ - /} and {@code %XX} escapes of UTF-8, without {@code .} or
     * {@code ..} segments, with an optional {@code #anchor}. Anything else is answered 400 naming the field.
     */
    static Optional<Response> badBack(String back) {
        if (back == null || back.isEmpty() || isLocalPath(back)) {
            return Optional.empty();
        }
        String shown = back.length() > 100 ? back.substring(0, 100) + "... (" + back.length() + " characters)" : back;
        return Optional.of(Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_PLAIN_TYPE)
                .header("Cache-Control", "no-store")
                .entity("back=" + shown + ": accepted: a path under poolwatch's root " + RootPath.root() + " (such as "
                        + RootPath.link("/")
                        + "), at most " + MAX_BACK_LENGTH
                        + " characters of letters, digits, '.', '_', '~', '-', '/' and %XX escapes of "
                        + "UTF-8, without '.' or '..' segments, with an optional #anchor; or none, for the action's own page. Nothing was done.")
                .build());
    }

    private static boolean isLocalPath(String back) {
        if (back.length() > MAX_BACK_LENGTH || !LOCAL_PATH.matcher(back).matches()) {
            return false;
        }
        int hash = back.indexOf('#');
        String path = hash >= 0 ? back.substring(0, hash) : back;
        String decoded;
        try {
            decoded = decodeStrictly(path);
        } catch (CharacterCodingException e) {
            return false;
        }
        if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\') || decoded.startsWith("//")) {
            return false;
        }
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        String root = RootPath.root();
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    /** Percent-decoding whose bytes must be well-formed UTF-8. */
    private static String decodeStrictly(String path) throws CharacterCodingException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                bytes.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                .toString();
    }

    /**
     * A 303 to a local page (the form's {@code back} field, checked by {@link #badBack}, when it has one), with the notice's
     * query.
     */
    private static Response back(String requested, String fallback, String query, String anchor) {
        String target = requested != null && !requested.isEmpty() ? requested : fallback;
        String hash = "";
        int h = target.indexOf('#');
        if (h >= 0) {
            hash = target.substring(h);
            target = target.substring(0, h);
        } else if (anchor != null) {
            hash = "#" + anchor;
        }
        return Response.seeOther(URI.create(target + (query == null ? "" : "?" + query) + hash)).build();
    }
}
