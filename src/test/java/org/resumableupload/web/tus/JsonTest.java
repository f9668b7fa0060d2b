package org.resumableupload.web.tus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON the tests exchange with the tus-js-client runner. */
class JsonTest {
    @Test
    void aJobWithNonAsciiTextAndEscapesReadsBackAsWritten() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("file", "/tmp/a \"b\"\\c\n");
        job.put("metadata", Map.of("filename", "Grüße 日本 🎉"));
        job.put("chunkSize", 1_048_576L);
        job.put("retryDelays", List.of(0L, 300L));
        job.put("terminate", true);
        job.put("uploadUrl", null);

        assertEquals(job, Json.parse(Json.write(job)));
    }

    @Test
    void aResultAsNodePrintsItParsesToMapsListsLongsAndDoubles() {
        Object parsed = Json.parse(" {\"outcome\":\"cut\",\"cutAt\":2109497,\"ratio\":0.5,\"offset\":null,"
                + "\"requests\":[{\"sent\":{\"Upload-Concat\":\"final;http://h/a http://h/b\"}}],"
                + "\"escaped\":\"\\u00fc\\t\\/\"} ");

        Map<?, ?> result = (Map<?, ?>) parsed;
        assertEquals("cut", result.get("outcome"));
        assertEquals(2_109_497L, result.get("cutAt"));
        assertEquals(0.5, result.get("ratio"));
        assertEquals(null, result.get("offset"));
        assertEquals(Map.of("sent", Map.of("Upload-Concat", "final;http://h/a http://h/b")),
                ((List<?>) result.get("requests")).get(0));
        assertEquals("ü\t/", result.get("escaped"));
    }

    @Test
    void anythingButOneValueIsRefusedWithWhereItStopped() {
        for (String bad : Arrays.asList("", "{", "{\"a\":1}x", "[1,]", "\"open", "nul", "{a:1}")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
    }
}
