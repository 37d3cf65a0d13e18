package org.stylegan.examples;

/** Test helper run in place of the CLI by {@link LauncherScriptTest}: prints the variables the launcher sets. */
public final class LauncherEnvEcho {
    private LauncherEnvEcho() {
    }

    public static void main(String[] args) {
        for (String k : new String[] {"MALLOC_ARENA_MAX", "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_"}) {
            System.out.println(k + "=" + System.getenv(k));
        }
        System.out.println("args=" + String.join(" ", args));
    }
}
