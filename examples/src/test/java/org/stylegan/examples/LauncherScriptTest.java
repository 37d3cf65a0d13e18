package org.stylegan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/bin/style-gan}: sets glibc's malloc variables unless the caller did, passes the arguments on, and
 * names the build command when the jar is missing. The script runs from a copy next to a placeholder jar, with
 * {@code STYLE_GAN_JAVA_OPTS} making {@code java} run {@link LauncherEnvEcho} instead of the jar.
 */
class LauncherScriptTest {
    @TempDir
    Path tmp;

    private Path install(boolean withJar) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path script = bin.resolve("style-gan");
        Files.copy(Path.of("bin", "style-gan"), script);
        script.toFile().setExecutable(true);
        if (withJar) {
            Files.write(Files.createDirectories(tmp.resolve("target")).resolve("style-gan-cli.jar"), new byte[0]);
        }
        return script;
    }

    private static List<String> run(Path script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "train", "--steps", "3")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MALLOC_"));
        pb.environment().put("STYLE_GAN_JAVA_OPTS",
                "-cp " + System.getProperty("java.class.path") + " " + LauncherEnvEcho.class.getName());
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> out = new ArrayList<>(
                List.of(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        out.add("exit=" + p.waitFor());
        return out;
    }

    @Test
    void setsTheMallocVariablesAndPassesTheArgumentsOn() throws Exception {
        List<String> out = run(install(true), Map.of());
        assertThat(out).contains("MALLOC_ARENA_MAX=1", "MALLOC_MMAP_MAX_=0",
                "MALLOC_TRIM_THRESHOLD_=100000000000", "exit=0");
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("args=-jar ").endsWith("train --steps 3"));
    }

    @Test
    void keepsValuesTheCallerSet() throws Exception {
        List<String> out = run(install(true), Map.of("MALLOC_ARENA_MAX", "4"));
        assertThat(out).contains("MALLOC_ARENA_MAX=4", "MALLOC_MMAP_MAX_=0", "exit=0");
    }

    @Test
    void aMissingJarNamesTheBuildCommand() throws Exception {
        List<String> out = run(install(false), Map.of());
        assertThat(out).contains("exit=2");
        assertThat(String.join("\n", out)).contains("not found").contains("mvn -B -q -DskipTests -pl examples -am package");
    }
}
