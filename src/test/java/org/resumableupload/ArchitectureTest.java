package org.resumableupload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the architecture run one way: front ends ({@code web/...}) over {@code core} over
 * {@code store} (the contract) over one folder per store. Read from the main sources' imports, so a
 * wrong import fails the build.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/resumableupload");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    /** Package (relative to org.resumableupload) -> prefixes of what it must not import. */
    private static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("store", List.of("jakarta.", "org.resumableupload.core", "org.resumableupload.web",
                    "org.resumableupload.store.disk", "org.resumableupload.store.memory",
                    "org.resumableupload.store.s3", "software.amazon")),
            Map.entry("store.disk", List.of("jakarta.", "org.resumableupload.core", "org.resumableupload.web",
                    "org.resumableupload.store.memory")),
            Map.entry("store.memory", List.of("jakarta.", "org.resumableupload.core", "org.resumableupload.web",
                    "org.resumableupload.store.disk")),
            Map.entry("store.s3", List.of("jakarta.", "org.resumableupload.core", "org.resumableupload.web",
                    "org.resumableupload.store.disk", "org.resumableupload.store.memory", "org.resumableupload.lock")),
            Map.entry("lock", List.of("jakarta.", "org.resumableupload.web", "org.resumableupload.store.disk",
                    "org.resumableupload.store.memory", "org.resumableupload.store.s3")),
            Map.entry("lock.s3", List.of("jakarta.", "org.resumableupload.web", "org.resumableupload.store.disk",
                    "org.resumableupload.store.memory", "org.resumableupload.store.s3")),
            Map.entry("config", List.of("jakarta.", "org.resumableupload.core", "org.resumableupload.web",
                    "org.resumableupload.store", "org.resumableupload.lock", "software.amazon")),
            Map.entry("core", List.of("jakarta.", "org.resumableupload.web", "org.resumableupload.store.disk",
                    "org.resumableupload.store.memory", "org.resumableupload.store.s3", "org.resumableupload.lock",
                    "software.amazon")),
            Map.entry("web.article", List.of("org.resumableupload.web.tus", "org.resumableupload.web.ietf",
                    "org.resumableupload.store.disk", "org.resumableupload.store.memory", "org.eclipse.jetty")),
            Map.entry("web.tus", List.of("org.resumableupload.web.article", "org.resumableupload.web.ietf",
                    "org.resumableupload.store.disk", "org.resumableupload.store.memory", "org.eclipse.jetty")),
            Map.entry("web.ietf", List.of("org.resumableupload.web.article", "org.resumableupload.web.tus",
                    "org.resumableupload.store.disk", "org.resumableupload.store.memory", "org.eclipse.jetty")),
            Map.entry("web.interim", List.of("org.resumableupload.core", "org.resumableupload.store",
                    "org.resumableupload.web.article", "org.resumableupload.web.tus", "org.resumableupload.web.ietf",
                    "org.eclipse.jetty")),
            Map.entry("web.interim.jetty", List.of("org.resumableupload.core", "org.resumableupload.store",
                    "org.resumableupload.web.article", "org.resumableupload.web.tus", "org.resumableupload.web.ietf")),
            Map.entry("web", List.of("org.eclipse.jetty")));

    @Test
    void everyPackageImportsOnlyWhatLiesBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(source.getParent()).toString().replace('/', '.');
                List<String> forbidden = FORBIDDEN.getOrDefault(pkg, List.of());
                Matcher imports = IMPORT.matcher(Files.readString(source));
                while (imports.find()) {
                    String imported = imports.group(1);
                    for (String prefix : forbidden) {
                        if (imported.equals(prefix) || imported.startsWith(prefix.endsWith(".") ? prefix : prefix + ".")
                                || imported.equals(prefix.replaceAll("\\.$", ""))) {
                            violations.add(MAIN.relativize(source) + " imports " + imported);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void onlyTheJettyAdapterLinksAgainstJettyForTheWarRunsOnOtherContainersToo() throws IOException {
        List<String> linking = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(MAIN)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher imports = IMPORT.matcher(Files.readString(source));
                while (imports.find()) {
                    if (imports.group(1).startsWith("org.eclipse.jetty")
                            && !source.getParent().endsWith(Path.of("web/interim/jetty"))) {
                        linking.add(MAIN.relativize(source) + " imports " + imports.group(1));
                    }
                }
            }
        }
        assertEquals(List.of(), linking);
    }

    @Test
    void theRulesCoverEveryMainPackage() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            List<String> packages = dirs.filter(Files::isDirectory).filter(d -> !d.equals(MAIN))
                    .map(d -> MAIN.relativize(d).toString().replace('/', '.')).toList();
            List<String> unruled = packages.stream()
                    .filter(p -> !FORBIDDEN.containsKey(p)).toList();
            assertEquals(List.of(), unruled, "a new package needs its arrows in ArchitectureTest");
            assertFalse(packages.isEmpty());
        }
    }
}
