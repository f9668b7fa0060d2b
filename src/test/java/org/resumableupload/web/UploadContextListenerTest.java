package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.resumableupload.core.Uploads;
import org.resumableupload.web.article.StatusServlet;
import org.resumableupload.web.article.UploadServlet;
import org.resumableupload.web.tus.TusServlet;

class UploadContextListenerTest {
    /** A key no environment sets (checked), so the property and init-param decide. */
    private static final String PROBE = "upload.unitTestProbe";

    @TempDir
    Path dir;

    private final Map<String, String> savedProperties = new HashMap<>();

    private void setProperty(String key, String value) {
        savedProperties.putIfAbsent(key, System.getProperty(key));
        System.setProperty(key, value);
    }

    @AfterEach
    void restoreProperties() {
        savedProperties.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    private static ServletContext contextWith(Map<String, String> initParams) {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter(anyString())).thenAnswer(call -> initParams.get(call.<String>getArgument(0)));
        return context;
    }

    // ---- environment names ---------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
            "upload.maxSize, UPLOAD_MAX_SIZE",
            "upload.dir, UPLOAD_DIR",
            "upload.maxIdLength, UPLOAD_MAX_ID_LENGTH",
            "upload.diskReserve, UPLOAD_DISK_RESERVE",
            "upload.expireAfter, UPLOAD_EXPIRE_AFTER",
            "upload.sweepInterval, UPLOAD_SWEEP_INTERVAL",
            "upload.idleTimeout, UPLOAD_IDLE_TIMEOUT",
            "upload.checkpointBytes, UPLOAD_CHECKPOINT_BYTES"
    })
    void eachKeyHasItsEnvironmentVariable(String key, String variable) {
        assertEquals(variable, UploadContextListener.environmentName(key));
    }

    // ---- lookup precedence ---------------------------------------------------------------------

    @Test
    void theProbeKeyIsNotInTheEnvironment() {
        assertNull(System.getenv(UploadContextListener.environmentName(PROBE)));
    }

    @Test
    void anInitParamIsUsedWhenNothingElseIsSet() {
        assertEquals("from-init", UploadContextListener.lookup(contextWith(Map.of(PROBE, "from-init")), PROBE));
    }

    @Test
    void aSystemPropertyWinsOverAnInitParam() {
        setProperty(PROBE, "from-property");

        assertEquals("from-property", UploadContextListener.lookup(contextWith(Map.of(PROBE, "from-init")), PROBE));
    }

    @Test
    void anUnsetKeyIsNull() {
        assertNull(UploadContextListener.lookup(contextWith(Map.of()), PROBE));
    }

    @Test
    void anEnvironmentVariableWinsOverAnInitParamAndLosesToASystemProperty() {
        // PATH is set in every test JVM, and environmentName("path") is "PATH".
        String path = System.getenv("PATH");
        assertNotNull(path);
        ServletContext context = contextWith(Map.of("path", "from-init"));

        assertEquals(path, UploadContextListener.lookup(context, "path"));
        setProperty("path", "from-property");
        assertEquals("from-property", UploadContextListener.lookup(context, "path"));
    }

    // ---- start and stop ------------------------------------------------------------------------

    @Test
    void startingBuildsTheCoreAndRegistersTheServlets() throws Exception {
        Path storage = dir.resolve("storage");
        ServletContext context = contextWith(Map.of("upload.dir", storage.toString(), "upload.diskReserve", "0"));
        ServletRegistration.Dynamic status = mock(ServletRegistration.Dynamic.class);
        ServletRegistration.Dynamic upload = mock(ServletRegistration.Dynamic.class);
        when(context.addServlet(anyString(), any(Servlet.class))).thenReturn(mock(ServletRegistration.Dynamic.class));
        when(context.addServlet(eq("status"), any(Servlet.class))).thenReturn(status);
        when(context.addServlet(eq("upload"), any(Servlet.class))).thenReturn(upload);
        ServletRegistration.Dynamic tus = mock(ServletRegistration.Dynamic.class);
        when(context.addServlet(eq("tus"), any(Servlet.class))).thenReturn(tus);
        FilterRegistration.Dynamic headers = mock(FilterRegistration.Dynamic.class);
        FilterRegistration.Dynamic cors = mock(FilterRegistration.Dynamic.class);
        when(context.addFilter(anyString(), any(Filter.class))).thenReturn(mock(FilterRegistration.Dynamic.class));
        when(context.addFilter(eq("security-headers"), any(Filter.class))).thenReturn(headers);
        when(context.addFilter(eq("tus-cors"), any(Filter.class))).thenReturn(cors);
        UploadContextListener listener = new UploadContextListener();

        listener.contextInitialized(new ServletContextEvent(context));
        try {
            ArgumentCaptor<Object> uploads = ArgumentCaptor.forClass(Object.class);
            verify(context).setAttribute(eq(UploadContextListener.UPLOADS), uploads.capture());
            assertInstanceOf(Uploads.class, uploads.getValue());
            assertEquals(0, ((Uploads) uploads.getValue()).settings().diskReserve());
            verify(context).addServlet(eq("status"), any(StatusServlet.class));
            verify(context).addServlet(eq("upload"), any(UploadServlet.class));
            verify(status).addMapping("/status");
            verify(upload).addMapping("/upload");
            verify(upload).setAsyncSupported(true);
            verify(context).addFilter(eq("security-headers"), any(SecurityHeadersFilter.class));
            verify(headers).setAsyncSupported(true); // it sits in front of the asynchronous upload servlet
            verify(headers).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            verify(context).addServlet(eq("tus"), any(TusServlet.class));
            verify(tus).addMapping("/tus", "/tus/*");
            verify(tus).setAsyncSupported(true);
            verify(context).addFilter(eq("tus-cors"), any(Cors.class));
            verify(cors).setAsyncSupported(true);
            verify(cors).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/tus", "/tus/*");
            assertTrue(Files.isDirectory(storage.resolve("parts")));
            assertTrue(Files.isDirectory(storage.resolve("completed")));
            assertEquals(32, Files.size(storage.resolve("owner.key")), "the owner cookies' signing key");
        } finally {
            listener.contextDestroyed(new ServletContextEvent(context));
        }
    }

    @Test
    void aBadSettingStopsTheStartNamingTheKey() {
        ServletContext context = contextWith(Map.of("upload.dir", dir.toString(), "upload.maxSize", "lots"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UploadContextListener().contextInitialized(new ServletContextEvent(context)));

        assertTrue(e.getMessage().contains("upload.maxSize"), e.getMessage());
    }

    @Test
    void aCorruptOwnerKeyStopsTheStartNamingTheFileAndIsKept() throws Exception {
        Path key = Files.write(dir.resolve("owner.key"), new byte[5]);
        ServletContext context = contextWith(Map.of("upload.dir", dir.toString(), "upload.diskReserve", "0"));

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new UploadContextListener().contextInitialized(new ServletContextEvent(context)));

        assertTrue(e.getMessage().contains("owner key") && e.getMessage().contains(key.toString()), e.getMessage());
        assertEquals(5, Files.size(key), "never silently replaced");
        verify(context, never()).addServlet(anyString(), any(Servlet.class));
    }

    @Test
    void stoppingWithoutStartingDoesNothing() {
        assertDoesNotThrow(
                () -> new UploadContextListener().contextDestroyed(new ServletContextEvent(contextWith(Map.of()))));
    }
}
