package dev.slipway.api.logs;

import dev.slipway.api.workers.WorkerLogSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where worker sessions hand log records: stores them ({@link LogStore#append}) and wakes this replica's live
 * feeds at once (other replicas hear of the new lines through PostgreSQL NOTIFY).
 */
@ApplicationScoped
public class LogIngestion implements WorkerLogSink {

    @Inject
    LogStore store;

    @Inject
    LogFeeds feeds;

    @Override
    public Map<UUID, Long> store(UUID workerId, List<Record> records) {
        LogStore.Appended appended = store.append(workerId, records);
        appended.appsWithNewLines().forEach(feeds::wake);
        return appended.storedSeqByInstance();
    }
}
