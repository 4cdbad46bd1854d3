package dev.slipway.billing.rating;

import dev.slipway.billing.UsageRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;

/**
 * Splits a usage record whose interval crosses a month boundary or a plan change, in proportion to time.
 * Every piece but the last is {@code quantity x pieceLength / recordLength} rounded half-even to
 * {@value #SCALE} decimals; the last piece takes the remainder, so the pieces always add up to exactly the
 * recorded quantity. The split depends only on the record and the cut instants, so the invoice of each
 * month sees the same pieces.
 */
final class UsageApportioner {

    static final int SCALE = 9;

    record Piece(Instant start, Instant end, BigDecimal quantity) {
    }

    private UsageApportioner() {
    }

    /** {@code cuts} are all instants where a period or a plan begins; only those inside the record matter. */
    static List<Piece> split(UsageRecord record, NavigableSet<Instant> cuts) {
        Instant start = record.start();
        Instant end = record.end();
        var inside = cuts.subSet(start, false, end, false);
        if (inside.isEmpty()) {
            return List.of(new Piece(start, end, record.quantity()));
        }
        BigDecimal total = record.quantity();
        BigDecimal length = BigDecimal.valueOf(Duration.between(start, end).toNanos());
        var pieces = new ArrayList<Piece>();
        BigDecimal assigned = BigDecimal.ZERO;
        Instant from = start;
        for (Instant cut : inside) {
            BigDecimal share = total.multiply(BigDecimal.valueOf(Duration.between(from, cut).toNanos()))
                    .divide(length, SCALE, RoundingMode.HALF_EVEN);
            pieces.add(new Piece(from, cut, share));
            assigned = assigned.add(share);
            from = cut;
        }
        pieces.add(new Piece(from, end, total.subtract(assigned)));
        return pieces;
    }
}
