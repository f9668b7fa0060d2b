package org.resumableupload.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.resumableupload.core.OwnerTokens;
import org.resumableupload.core.Uploads;
import org.resumableupload.web.article.FilesServlet;
import org.resumableupload.web.ietf.IetfHeaders;
import org.resumableupload.web.ietf.IetfServlet;
import org.resumableupload.web.interim.InterimResponses;
import org.resumableupload.web.tus.TusHeaders;
import org.resumableupload.web.tus.TusServlet;
import org.resumableupload.web.article.StatusServlet;
import org.resumableupload.web.article.UploadServlet;
import org.resumableupload.core.UploadSettings;

/**
 * Builds the application once: the store, locker and owner-cookie key the settings choose
 * ({@link Backend}: the local disk, or S3 for several nodes), the core ({@link Uploads}, kept as the
 * context attribute {@link #UPLOADS}), the servlets, the filter that gives every answer its security
 * headers ({@link SecurityHeadersFilter}), and the sweeper that stops idle writers and deletes
 * expired uploads. Declared in {@code WEB-INF/web.xml}, so containers need no annotation scanning.
 *
 * <p>Each setting {@code upload.x} is read from the system property {@code upload.x}, else the
 * environment variable {@code UPLOAD_X} (camel case split by '_'), else the context init-param
 * {@code upload.x}, else its default.
 */
public final class UploadContextListener implements ServletContextListener {
    /** Context attribute under which the core ({@link Uploads}) is kept. */
    public static final String UPLOADS = Uploads.class.getName();
    /** The origins (comma- or space-separated) whose pages may use the tus front end; none by default. */
    public static final String CORS_ORIGINS = "upload.corsOrigins";
    private static final Logger LOG = Logger.getLogger(UploadContextListener.class.getName());

    private Uploads uploads;
    private ScheduledExecutorService sweeper;
    private Backend backend;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Clock clock = Clock.systemUTC();
        try {
            backend = Backend.open(key -> lookup(context, key), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the upload store: " + e.getMessage(), e);
        }
        UploadSettings settings = backend.settings;
        Owners owners = new Owners(new OwnerTokens(backend.ownerKey));
        uploads = new Uploads(backend.store, backend.locker, settings, clock, backend.freeSpace);
        context.setAttribute(UPLOADS, uploads);
        FilterRegistration.Dynamic headers = context.addFilter("security-headers", new SecurityHeadersFilter());
        headers.setAsyncSupported(true); // it sits in front of the asynchronous upload servlet too
        headers.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        ServletRegistration.Dynamic status = context.addServlet("status", new StatusServlet(uploads, owners));
        status.setAsyncSupported(true); // refusals drain a declared body without blocking (Refusals)
        status.addMapping("/status");
        ServletRegistration.Dynamic upload = context.addServlet("upload", new UploadServlet(uploads, owners));
        upload.setAsyncSupported(true);
        upload.addMapping("/upload");
        registerTus(context, owners);
        registerIetf(context, owners);
        ServletRegistration.Dynamic files = context.addServlet("files", new FilesServlet(uploads, owners));
        files.setAsyncSupported(true); // downloads are written without blocking (FileSender)
        files.addMapping("/files", "/files/*");
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "upload-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        LOG.info(() -> "resumable-upload " + backend.description);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (sweeper != null) {
            // Not shutdownNow: an interrupt would close the data file of the upload a sweep is stopping.
            sweeper.shutdown();
            awaitQuietly(sweeper);
        }
        if (uploads != null) {
            uploads.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    /** tus 1.0.0 at /tus/, behind cross-origin access for the origins {@link #CORS_ORIGINS} lists (none by default). */
    private void registerTus(ServletContext context, Owners owners) {
        registerWithCors(context, "tus", new TusServlet(uploads, owners), new Cors.Policy(
                Cors.origins(lookup(context, CORS_ORIGINS)), TusHeaders.CORS_METHODS, TusHeaders.CORS_REQUEST_HEADERS,
                TusHeaders.CORS_EXPOSED_HEADERS, Duration.ofDays(1)), "/tus", "/tus/*");
    }

    /**
     * The IETF draft at /uploads/, behind the same cross-origin policy; its 104 interim responses go
     * out where this container can send them ({@link InterimResponses#forThisContainer()}).
     */
    private void registerIetf(ServletContext context, Owners owners) {
        registerWithCors(context, "ietf", new IetfServlet(uploads, owners, InterimResponses.forThisContainer()),
                new Cors.Policy(Cors.origins(lookup(context, CORS_ORIGINS)), IetfHeaders.CORS_METHODS,
                        IetfHeaders.CORS_REQUEST_HEADERS, IetfHeaders.CORS_EXPOSED_HEADERS, Duration.ofDays(1)),
                "/uploads", "/uploads/*");
    }

    /** An asynchronous front-end servlet at {@code paths}, with its CORS filter in front of it. */
    private static void registerWithCors(ServletContext context, String name, HttpServlet servlet,
                                         Cors.Policy policy, String... paths) {
        FilterRegistration.Dynamic cors = context.addFilter(name + "-cors", new Cors(policy));
        cors.setAsyncSupported(true);
        cors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, paths);
        ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
        registration.setAsyncSupported(true);
        registration.addMapping(paths);
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sweep() {
        try {
            backend.housekeep(Clock.systemUTC());
            int deleted = uploads.sweep();
            if (deleted > 0) {
                LOG.info(() -> "deleted " + deleted + " expired incomplete uploads");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "upload sweep failed; it runs again later", e);
        }
    }

    static String lookup(ServletContext context, String key) {
        return firstSet(System::getProperty, System::getenv, context::getInitParameter, key);
    }

    private static String firstSet(Function<String, String> properties, Function<String, String> environment,
                                   Function<String, String> initParams, String key) {
        String value = properties.apply(key);
        if (value == null) {
            value = environment.apply(environmentName(key));
        }
        if (value == null) {
            value = initParams.apply(key);
        }
        return value;
    }

    /** {@code upload.maxSize} → {@code UPLOAD_MAX_SIZE}. */
    static String environmentName(String key) {
        return key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
