package org.stylegan.examples.report;

/** Shared set-up for report writers; the files themselves are written atomically by style-gan-io. */
final class ReportFiles {

    private ReportFiles() {
    }

    /** Sets {@code java.awt.headless=true} unless the user chose otherwise; reports run on servers. */
    static void preferHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
