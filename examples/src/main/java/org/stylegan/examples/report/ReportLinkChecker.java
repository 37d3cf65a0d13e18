package org.stylegan.examples.report;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that an HTML report is self-contained: every {@code href}/{@code src} is either an in-page
 * anchor that exists or a relative link to a file inside the report folder.
 *
 * <p>A regex scan, not a full HTML parser: enough for the pages {@link HtmlReport} writes (quoted
 * attributes, no scripts). External URLs, absolute paths and links escaping the folder are reported as
 * problems, since the page must work offline and when moved.
 */
public final class ReportLinkChecker {

    private static final Pattern LINK =
            Pattern.compile("\\b(href|src)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
    private static final Pattern ID = Pattern.compile("\\bid\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern CSS_URL = Pattern.compile("url\\(", Pattern.CASE_INSENSITIVE);

    private ReportLinkChecker() {
    }

    /**
     * Outcome of a check.
     *
     * @param page     the checked page
     * @param files    distinct linked files that exist, resolved against the page's folder
     * @param anchors  distinct in-page anchors that exist
     * @param problems one line per broken, external or escaping link; empty when the page is fine
     */
    public record Result(Path page, List<Path> files, List<String> anchors, List<String> problems) {
        /** Copies defensively. */
        public Result {
            files = List.copyOf(files);
            anchors = List.copyOf(anchors);
            problems = List.copyOf(problems);
        }

        /** True when there are no problems. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Checks the page's links.
     *
     * @throws IOException if the page cannot be read
     */
    public static Result check(Path page) throws IOException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        Path folder = page.toAbsolutePath().normalize().getParent();
        Set<String> ids = new LinkedHashSet<>();
        Matcher im = ID.matcher(html);
        while (im.find()) {
            ids.add(unescape(im.group(1) != null ? im.group(1) : im.group(2)));
        }
        Set<Path> files = new LinkedHashSet<>();
        Set<String> anchors = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        if (CSS_URL.matcher(html).find()) {
            problems.add("page uses CSS url(...); inline styles must not load resources");
        }
        Matcher m = LINK.matcher(html);
        while (m.find()) {
            String attr = m.group(1).toLowerCase(Locale.ROOT);
            String raw = unescape(m.group(2) != null ? m.group(2) : m.group(3)).strip();
            String where = attr + "=\"" + raw + "\"";
            if (raw.isEmpty()) {
                problems.add(where + ": empty link");
            } else if (raw.startsWith("#")) {
                String id = decode(raw.substring(1));
                if (ids.contains(id)) {
                    anchors.add(id);
                } else {
                    problems.add(where + ": no element with id '" + id + "' on the page");
                }
            } else if (SCHEME.matcher(raw).find() || raw.startsWith("//")) {
                problems.add(where + ": external or absolute URL; the report must be self-contained");
            } else if (raw.startsWith("/")) {
                problems.add(where + ": absolute path; use a path relative to the report folder");
            } else {
                String pathPart = raw.replaceFirst("[?#].*$", "");
                Path target = folder.resolve(decode(pathPart)).normalize();
                if (!target.startsWith(folder)) {
                    problems.add(where + ": points outside the report folder " + folder);
                } else if (!Files.isRegularFile(target)) {
                    problems.add(where + ": file " + target + " does not exist");
                } else {
                    files.add(target);
                }
            }
        }
        return new Result(page, new ArrayList<>(files), new ArrayList<>(anchors), problems);
    }

    /**
     * Checks the page and throws if any link is broken.
     *
     * @return the result, which is {@link Result#ok()}
     * @throws IllegalStateException listing every problem
     * @throws IOException           if the page cannot be read
     */
    public static Result requireValid(Path page) throws IOException {
        Result r = check(page);
        if (!r.ok()) {
            throw new IllegalStateException("report " + page + " has " + r.problems().size() + " bad link(s):\n  "
                    + String.join("\n  ", r.problems()));
        }
        return r;
    }

    private static String decode(String s) {
        // '+' is literal in paths; URLDecoder would turn it into a space.
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}
