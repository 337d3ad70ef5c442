package io.polykube.runtime.binaries;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times a step, logs it through slf4j and tells the progress listener. */
final class Steps {

    private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    private Steps() {
    }

    static <T> T run(ProgressListener progress, String step, Step<T> body) {
        LOG.info("{} ...", step);
        progress.started(step);
        long start = System.nanoTime();
        try {
            T result = body.run();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("{}: done in {}", step, ProgressListener.format(took));
            progress.finished(step, took);
            return result;
        } catch (BinaryException e) {
            LOG.warn("{}: failed after {}", step, ProgressListener.format(Duration.ofNanos(System.nanoTime() - start)));
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BinaryException(step + ": interrupted", e);
        } catch (Exception e) {
            throw new BinaryException(step + " failed: " + e, e);
        }
    }
}
