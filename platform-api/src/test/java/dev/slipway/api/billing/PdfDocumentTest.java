package dev.slipway.api.billing;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written PDF writer, read back by a real PDF parser (Apache PDFBox). */
class PdfDocumentTest {

    @Test
    void longDocumentsFlowOntoMorePagesAndSpecialCharactersSurvive() throws IOException {
        var lines = new ArrayList<PdfDocument.TextLine>();
        lines.add(new PdfDocument.TextLine("Heading (with parentheses) and a back\\slash", 18, true));
        for (int i = 1; i <= 150; i++) {
            lines.add(new PdfDocument.TextLine("line " + i, 10, false));
        }
        lines.add(new PdfDocument.TextLine("caf\u00e9 \u20ac", 10, false));
        try (PDDocument document = Loader.loadPDF(PdfDocument.render(lines))) {
            assertEquals(3, document.getNumberOfPages());
            String text = new PDFTextStripper().getText(document);
            assertTrue(text.contains("Heading (with parentheses) and a back\\slash"), text);
            assertTrue(text.contains("line 1\n") && text.contains("line 150"), text);
            assertTrue(text.contains("caf? ?"), "non-ASCII becomes '?': " + text);
        }
    }
}
