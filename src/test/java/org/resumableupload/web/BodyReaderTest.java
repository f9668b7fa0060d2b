package org.resumableupload.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resumableupload.core.AppendSpec;
import org.resumableupload.core.CreateSpec;
import org.resumableupload.core.ErrorCode;
import org.resumableupload.core.FreeSpace;
import org.resumableupload.core.MemoryLocker;
import org.resumableupload.core.Owner;
import org.resumableupload.core.UploadException;
import org.resumableupload.core.UploadSettings;
import org.resumableupload.core.Uploads;
import org.resumableupload.core.WriteOutcome;
import org.resumableupload.core.WriteSession;
import org.resumableupload.store.FaultInjectingUploadStore;
import org.resumableupload.store.Metadata;
import org.resumableupload.store.UploadId;
import org.resumableupload.store.disk.DiskUploadStore;
import org.resumableupload.web.ServletMocks.Response;

/** How {@link BodyReader} turns the container's pieces of a body into writes, over a real disk store. */
class BodyReaderTest {
    private static final int BUFFER = 64 * 1024;
    private static final int CONTAINER_PIECE = 8 * 1024;
    private static final Owner OWNER = Owner.token("owner-token");

    @TempDir
    Path dir;

    private FaultInjectingUploadStore store;
    private Uploads uploads;

    @BeforeEach
    void open() throws IOException {
        store = new FaultInjectingUploadStore(new DiskUploadStore(dir));
        Map<String, String> settings = new HashMap<>();
        settings.put(UploadSettings.DIR, dir.toString());
        settings.put(UploadSettings.DISK_RESERVE, "0");
        uploads = new Uploads(store, new MemoryLocker(), UploadSettings.from(settings::get), Clock.systemUTC(),
                FreeSpace.UNLIMITED);
    }

    /** A front end's answers, remembered: the one outcome or refusal the reader gave it. */
    private static final class RecordedAnswers implements BodyAnswers {
        WriteOutcome outcome;
        UploadException refusal;
        int answers;

        @Override
        public void stored(HttpServletResponse response, WriteOutcome stored) {
            outcome = stored;
            answers++;
        }

        @Override
        public void write(HttpServletResponse response, UploadException refused) {
            refusal = refused;
            answers++;
        }
    }

    /** A body all ready at once, handed out at most {@code piece} bytes per read, as a container does. */
    private static class PiecewiseBody extends ServletInputStream {
        private final byte[] data;
        private final int piece;
        private final boolean failsAtTheEnd;
        private int position;

        PiecewiseBody(int length, int piece, boolean failsAtTheEnd) {
            this.data = new byte[length];
            this.piece = piece;
            this.failsAtTheEnd = failsAtTheEnd;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            try {
                listener.onDataAvailable();
                if (isFinished()) {
                    listener.onAllDataRead();
                }
            } catch (IOException e) {
                listener.onError(e);
            }
        }

        @Override
        public boolean isFinished() {
            return position == data.length && !failsAtTheEnd;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (position == data.length) {
                if (failsAtTheEnd) {
                    throw new IOException("connection reset by peer");
                }
                return -1;
            }
            int count = Math.min(Math.min(length, piece), data.length - position);
            System.arraycopy(data, position, into, offset, count);
            position += count;
            return count;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** Streams {@code body} from offset 0 into a new upload of {@code length} bytes; one answer is given. */
    private RecordedAnswers stream(UploadId id, PiecewiseBody body) throws Exception {
        RecordedAnswers answers = new RecordedAnswers();
        BodyReader reader = new BodyReader(new Response().mock, new ReadBuffers(BUFFER, 1), answers);
        WriteSession session = uploads.append(OWNER, id, new AppendSpec(0, body.data.length, AppendSpec.UNKNOWN,
                AppendSpec.Ending.OPEN, null), reader::stopped);
        AsyncContext async = mock(AsyncContext.class);
        reader.start(async, session, body);
        verify(async).complete();
        assertEquals(1, answers.answers, "exactly one answer");
        return answers;
    }

    private UploadId created(long length) throws UploadException {
        return uploads.create(OWNER, new CreateSpec(length, "f.bin", Metadata.EMPTY, false)).id();
    }

    @Test
    void smallContainerPiecesAreGatheredIntoWholeBufferWrites() throws Exception {
        UploadId id = created(4 * BUFFER);

        RecordedAnswers answers = stream(id, new PiecewiseBody(4 * BUFFER, CONTAINER_PIECE, false));

        assertNull(answers.refusal);
        assertTrue(answers.outcome.isComplete(), "the whole length arrived");
        assertEquals(4, store.writeCalls(), "one write per full buffer, not one per 8 KiB piece");
    }

    @Test
    void bytesGatheredBeforeAReadFailsAreKept() throws Exception {
        UploadId id = created(1 << 20);
        int arrived = 3 * CONTAINER_PIECE + 100; // less than one buffer: none of it written before the failure

        RecordedAnswers answers = stream(id, new PiecewiseBody(arrived, CONTAINER_PIECE, true));

        assertEquals(ErrorCode.BODY_INCOMPLETE, answers.refusal.code());
        assertEquals(arrived, answers.refusal.storedOffset().orElseThrow());
        assertEquals(arrived, uploads.get(OWNER, id).offset());
    }

    @Test
    void aTakeoverWhileTheReadListenerIsRegisteredIsAnsweredOnceAfterTheRegistration() throws Exception {
        UploadId id = created(1 << 20);
        AppendSpec append = new AppendSpec(0, 1000, AppendSpec.UNKNOWN, AppendSpec.Ending.OPEN, null);
        RecordedAnswers answers = new RecordedAnswers();
        BodyReader reader = new BodyReader(new Response().mock, new ReadBuffers(BUFFER, 1), answers);
        WriteSession session = uploads.append(OWNER, id, append, reader::stopped);
        AsyncContext async = mock(AsyncContext.class);
        boolean[] completed = {false};
        doAnswer(call -> completed[0] = true).when(async).complete();
        WriteSession[] newer = new WriteSession[1];
        PiecewiseBody body = new PiecewiseBody(1000, CONTAINER_PIECE, false) {
            @Override
            public void setReadListener(ReadListener listener) {
                try {
                    // A newer request for the upload takes over (on its own thread) just now.
                    newer[0] = uploads.append(OWNER, id, append, stopped -> { });
                } catch (UploadException e) {
                    throw new AssertionError(e);
                }
                if (completed[0]) {
                    throw new IllegalStateException("Async not started"); // as Jetty's HttpInput
                }
                super.setReadListener(listener);
            }
        };

        reader.start(async, session, body);

        verify(async, times(1)).complete();
        assertEquals(1, answers.answers, "exactly one answer");
        assertEquals(ErrorCode.SUPERSEDED, answers.refusal.code());
        assertFalse(answers.refusal.storedOffset().isEmpty());
        newer[0].abort();
    }
}
