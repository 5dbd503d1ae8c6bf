package dev.powerprop.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import dev.powerprop.engine.backend.BinaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Device memory of garbage-collected tensors comes back: a long loop stays within the pool's budget, silently. */
class OpenClBackendMemoryTest {
    @Test
    void garbageTensorsReturnTheirBuffersWithoutLeakWarnings() {
        OpenClContext cx = TestDevice.context();
        long budget = 4L << 20;
        OpenClBackend cl = new OpenClBackend(cx, budget);
        List<LogRecord> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger("dev.powerprop.opencl");
        log.addHandler(capture);
        try {
            Tensor acc = cl.zeros(Shape.of(128, 256));
            // 800 steps x 2 garbage tensors of 128 KiB: 200 MiB allocated in all, 4 MiB allowed at a time.
            for (int step = 0; step < 800; step++) {
                Tensor a = cl.zeros(Shape.of(128, 256));
                cl.fill(a, 1);
                Tensor b = cl.zeros(Shape.of(128, 256));
                cl.binary(BinaryOp.ADD, acc, a, b);
                acc = b;
                assertThat(cl.pooledBytes()).isLessThanOrEqualTo(budget + (1 << 20));
            }
            assertThat(acc.toHost().get(12345)).isEqualTo(800);
            assertThat(cl.bufferAllocations()).as("buffers were reused").isLessThan(800);
        } finally {
            log.removeHandler(capture);
        }
        assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
    }
}
