package org.stylegan.core.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Runs {@link QualityCheck} when -Dstylegan.qc="contentDir styleFile outDir steps gamma [tv]" is given. */
class QualityCheckRun {
    @Test
    @EnabledIfSystemProperty(named = "stylegan.qc", matches = ".+")
    void run() throws Exception {
        QualityCheck.main(System.getProperty("stylegan.qc").trim().split("\\s+"));
    }
}
