package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemp() throws IOException {
        Path target = tmp.resolve("model.zip");
        AtomicFiles.write(target, "old".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void deleteStaleTempsRemovesOnlyTheTargetsOwnLeftovers() throws IOException {
        Path target = tmp.resolve("checkpoint.zip");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        // What a process killed mid-save leaves behind, and files that must survive.
        Path stale1 = Files.writeString(tmp.resolve(".checkpoint.zip.k3j2h1.tmp"), "partial");
        Path stale2 = Files.writeString(tmp.resolve(".checkpoint.zip.9zz.tmp"), "");
        Path otherTemp = Files.writeString(tmp.resolve(".model.zip.abc.tmp"), "someone else's");
        Path lookalike = Files.writeString(tmp.resolve("checkpoint.zip.tmp"), "user file");

        assertThat(AtomicFiles.deleteStaleTemps(target)).isEqualTo(2);

        assertThat(stale1).doesNotExist();
        assertThat(stale2).doesNotExist();
        assertThat(otherTemp).exists();
        assertThat(lookalike).exists();
        assertThat(Files.readAllBytes(target)).containsExactly(1, 2, 3);
        assertThat(AtomicFiles.deleteStaleTemps(tmp.resolve("missing/dir/x.zip"))).isZero();
    }
}
