package dev.slipway.api.billing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The smallest PDF writer that invoices need: A4 pages of left-aligned lines in Helvetica (PDF 1.4, one of
 * the 14 standard fonts, so nothing is embedded). Text is limited to printable ASCII; anything else
 * becomes '?'. Built by hand because a dependency for a one-page table is not worth it.
 */
final class PdfDocument {

    /** A line of text at a font size; the writer flows lines down the page and starts new pages. */
    record TextLine(String text, int size, boolean bold) {
    }

    private static final int PAGE_WIDTH = 595;
    private static final int PAGE_HEIGHT = 842;
    private static final int MARGIN = 50;

    private PdfDocument() {
    }

    static byte[] render(List<TextLine> lines) {
        List<List<TextLine>> pages = paginate(lines);
        var objects = new ArrayList<String>();
        // 1 catalog, 2 pages, 3 regular font, 4 bold font, then per page: page object, content stream
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        var kids = new StringBuilder();
        for (int p = 0; p < pages.size(); p++) {
            kids.append(5 + 2 * p).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids.toString().trim() + "] /Count " + pages.size() + " >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        for (int p = 0; p < pages.size(); p++) {
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + PAGE_WIDTH + " " + PAGE_HEIGHT + "]"
                    + " /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " + (6 + 2 * p) + " 0 R >>");
            String content = content(pages.get(p));
            objects.add("<< /Length " + content.getBytes(StandardCharsets.ISO_8859_1).length + " >>\nstream\n"
                    + content + "\nendstream");
        }
        return write(objects);
    }

    private static List<List<TextLine>> paginate(List<TextLine> lines) {
        var pages = new ArrayList<List<TextLine>>();
        var page = new ArrayList<TextLine>();
        int y = PAGE_HEIGHT - MARGIN;
        for (TextLine line : lines) {
            int height = line.size() + 4;
            if (y - height < MARGIN && !page.isEmpty()) {
                pages.add(page);
                page = new ArrayList<>();
                y = PAGE_HEIGHT - MARGIN;
            }
            page.add(line);
            y -= height;
        }
        pages.add(page);
        return pages;
    }

    private static String content(List<TextLine> lines) {
        var out = new StringBuilder();
        int y = PAGE_HEIGHT - MARGIN;
        for (TextLine line : lines) {
            y -= line.size() + 4;
            out.append("BT /").append(line.bold() ? "F2" : "F1").append(' ').append(line.size()).append(" Tf ")
                    .append(MARGIN).append(' ').append(y).append(" Td (").append(escape(line.text())).append(") Tj ET\n");
        }
        return out.toString();
    }

    static String escape(String text) {
        var out = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '(' || ch == ')' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 32 || ch > 126) {
                out.append('?');
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static byte[] write(List<String> objects) {
        var out = new ByteArrayOutputStream();
        var offsets = new ArrayList<Integer>();
        append(out, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            append(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        var table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        offsets.forEach(o -> table.append("%010d 00000 n \n".formatted(o)));
        append(out, table + "trailer\n<< /Size " + (objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void append(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
