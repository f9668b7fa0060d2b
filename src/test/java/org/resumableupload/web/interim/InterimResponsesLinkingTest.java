package org.resumableupload.web.interim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link InterimResponses#forThisContainer()} where the Jetty distribution hides Jetty's classes from
 * the web application, as its {@code WebAppContext} does: {@code WEB-INF/jetty-web.xml} un-hides
 * exactly the Jetty classes the adapter links against, with those visible the adapter is found, and
 * with any one of them hidden it falls back at start (instead of every creation failing at its 104).
 */
class InterimResponsesLinkingTest {
    private static final Path JETTY_WEB_XML = Path.of("src/main/webapp/WEB-INF/jetty-web.xml");
    private static final String ADAPTER = "org.resumableupload.web.interim.jetty.JettyInterimResponses";

    static Set<String> unhiddenByJettyWebXml() throws IOException {
        Matcher items = Pattern.compile("<Item>\\s*([^<\\s]+)\\s*</Item>")
                .matcher(Files.readString(JETTY_WEB_XML, StandardCharsets.UTF_8));
        Set<String> names = new TreeSet<>();
        while (items.find()) {
            names.add(items.group(1));
        }
        return names;
    }

    @Test
    void jettyWebXmlUnhidesExactlyTheJettyClassesTheAdapterLinksAgainst() throws IOException {
        byte[] classFile;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ADAPTER.replace('.', '/') + ".class")) {
            classFile = in.readAllBytes();
        }
        // The class names in its constant pool (names, and descriptors of the methods it calls).
        Matcher names = Pattern.compile("org/eclipse/jetty/[A-Za-z0-9_/$]+")
                .matcher(new String(classFile, StandardCharsets.ISO_8859_1));
        Set<String> linked = new TreeSet<>();
        while (names.find()) {
            linked.add(names.group().replace('/', '.'));
        }

        assertEquals(linked, unhiddenByJettyWebXml());
    }

    @Test
    void withOnlyTheClassesJettyWebXmlUnhidesVisibleTheJettyAdapterIsFound() throws Exception {
        Set<String> visible = unhiddenByJettyWebXml();

        Object found = new HidingLoader(name -> name.startsWith("org.eclipse.jetty.") && !visible.contains(name))
                .forThisContainer();

        assertEquals(ADAPTER, found.getClass().getName());
    }

    @ParameterizedTest
    @MethodSource("unhiddenByJettyWebXml")
    void withOneOfThemStillHiddenItFallsBackAtStartInsteadOfFailingEachCreation(String hidden) throws Exception {
        Set<String> visible = unhiddenByJettyWebXml();
        visible.remove(hidden);

        HidingLoader loader = new HidingLoader(name -> name.startsWith("org.eclipse.jetty.") && !visible.contains(name));

        assertSame(loader.unsupported(), loader.forThisContainer(), () -> "with " + hidden + " hidden");
    }

    @Test
    void withoutJettyAsOnTomcatNoInterimResponsesAreSentAndOneInfoLineWithoutAStackTraceSaysWhy() throws Exception {
        HidingLoader loader = new HidingLoader(name -> name.startsWith("org.eclipse.jetty."));
        Logger log = Logger.getLogger(InterimResponses.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        log.addHandler(handler);
        try {
            assertSame(loader.unsupported(), loader.forThisContainer());
        } finally {
            log.removeHandler(handler);
        }

        List<LogRecord> infos = records.stream().filter(r -> r.getLevel().intValue() >= Level.INFO.intValue()).toList();
        assertEquals(1, infos.size(), records::toString);
        String line = infos.get(0).getMessage();
        assertEquals(Level.INFO, infos.get(0).getLevel(), line);
        assertNull(infos.get(0).getThrown(), "an expected fallback prints no stack trace on Tomcat");
        assertTrue(line.contains("cannot send them") && line.contains("NoClassDefFoundError")
                && line.contains("org/eclipse/jetty/"), line);
    }

    /**
     * Loads this package (and {@code interim.jetty}) itself, as a web application's loader loads its
     * {@code WEB-INF/classes}, and answers no class that {@code hidden} names, as Jetty's web
     * application loader answers none of its hidden classes; everything else comes from the parent.
     */
    private static final class HidingLoader extends ClassLoader {
        private static final String OWN = "org.resumableupload.web.interim.";
        private final Predicate<String> hidden;

        HidingLoader(Predicate<String> hidden) {
            super(InterimResponsesLinkingTest.class.getClassLoader());
            this.hidden = hidden;
        }

        Object forThisContainer() throws Exception {
            return loadClass(InterimResponses.class.getName()).getMethod("forThisContainer").invoke(null);
        }

        Object unsupported() throws Exception {
            return loadClass(InterimResponses.class.getName()).getField("UNSUPPORTED").get(null);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (hidden.test(name)) {
                    throw new ClassNotFoundException(name + " is hidden from the web application");
                }
                if (!name.startsWith(OWN) || name.startsWith(InterimResponsesLinkingTest.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classFile(name);
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private byte[] classFile(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
