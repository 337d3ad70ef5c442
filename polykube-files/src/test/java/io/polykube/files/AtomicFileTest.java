package io.polykube.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReplacesTheContentLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a.txt");
        assertThat(AtomicFile.at(file).write("first")).isEqualTo(file.toAbsolutePath());
        AtomicFile.at(file).write("second, longer".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("second, longer");
        assertThat(names()).containsExactly("a.txt");
    }

    @Test
    void theFileHasExactlyTheGivenPermissionsBeforeAnyContentIsWritten() throws IOException {
        Path key = dir.resolve("key.pem");
        AtomicReference<Set<PosixFilePermission>> whileWriting = new AtomicReference<>();
        AtomicFile.at(key).permissions(AtomicFile.OWNER_ONLY).write(out -> {
            whileWriting.set(Files.getPosixFilePermissions(temporaryFile()));
            out.write("secret".getBytes(StandardCharsets.US_ASCII));
        });
        assertThat(whileWriting.get()).isEqualTo(AtomicFile.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(AtomicFile.OWNER_ONLY);

        Path cert = dir.resolve("cert.pem");
        Files.writeString(cert, "old");
        Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("rwx------"));
        AtomicFile.at(cert).permissions(AtomicFile.WORLD_READABLE).durable(true).write("new");
        assertThat(Files.getPosixFilePermissions(cert)).isEqualTo(AtomicFile.WORLD_READABLE);
        assertThat(cert).hasContent("new");
    }

    @Test
    void withoutPermissionsTheFileGetsThoseOfAnyNewFile() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = AtomicFile.at(dir.resolve("record.json")).write("{}");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aFailingWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "old");
        assertThatThrownBy(() -> AtomicFile.at(file).write(out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(file).hasContent("old");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void aContentWriterMayCloseItsStream() throws IOException {
        Path file = dir.resolve("closed.txt");
        AtomicFile.at(file).durable(true).write(out -> {
            try (Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
                writer.write("written through a writer that closes");
            }
        });
        assertThat(file).hasContent("written through a writer that closes");
    }

    @Test
    void parentDirectoriesAreCreatedOnlyWhenAsked() throws IOException {
        Path file = dir.resolve("a/b/c.txt");
        assertThatThrownBy(() -> AtomicFile.at(file).write("x")).isInstanceOf(NoSuchFileException.class);
        AtomicFile.at(file).createParents(true).write("x");
        assertThat(file).hasContent("x");
    }

    @Test
    void aSymbolicLinkAtTheTargetIsReplacedNotWrittenThrough() throws IOException {
        Path outside = Files.writeString(Files.createDirectory(dir.resolve("outside")).resolve("victim"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), outside);
        AtomicFile.at(link).write("new");
        assertThat(outside).hasContent("keep");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(link).hasContent("new");
    }

    @Test
    void renameReplacesTheTargetWithAFinishedFileOrDirectory() throws IOException {
        Path part = Files.writeString(dir.resolve("snapshot.db.part"), "complete");
        Path file = Files.writeString(dir.resolve("snapshot.db"), "older");
        AtomicFile.rename(part, file);
        assertThat(file).hasContent("complete");
        assertThat(part).doesNotExist();

        Path staged = Files.createDirectory(dir.resolve(".set.tmp-1"));
        Files.writeString(staged.resolve("bin"), "x");
        AtomicFile.rename(staged, dir.resolve("set"));
        assertThat(dir.resolve("set/bin")).hasContent("x");
    }

    @Test
    void aLongNameStillGetsATemporaryFileBesideIt() throws IOException {
        Path file = dir.resolve("n".repeat(250));
        AtomicFile.at(file).write("long");
        assertThat(file).hasContent("long");
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    private Path temporaryFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> tmp = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertThat(tmp).hasSize(1);
            assertThat(tmp.get(0).getFileName().toString()).startsWith(".key.pem.");
            return tmp.get(0);
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
