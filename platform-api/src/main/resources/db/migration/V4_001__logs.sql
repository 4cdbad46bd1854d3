-- Container logs (docs/logs.md): the lines workers ship over their stream, per app, with retention.

-- One row per app that has logs: the app's feed position counter. Every storing transaction locks the row of
-- each app it writes, so positions are handed out in commit order and without gaps: a reader that has seen
-- position P and asks for "after P" can never miss a line that commits later with a smaller number.
CREATE TABLE log_heads (
    app_id       uuid PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
    last_pos     bigint NOT NULL DEFAULT 0,
    -- Bytes of line text currently stored for the app (kept up to date by ingestion and retention).
    stored_bytes bigint NOT NULL DEFAULT 0
);

-- Per instance: the highest sequence number stored. A record at or below it is a duplicate (a resend after a
-- reconnect). No foreign key to instances: an instance row goes when it stops, its logs stay.
CREATE TABLE log_cursors (
    instance_id uuid PRIMARY KEY,
    app_id      uuid NOT NULL REFERENCES log_heads (app_id) ON DELETE CASCADE,
    worker_id   uuid NOT NULL,
    last_seq    bigint NOT NULL
);

-- The lines. Partitioned by the day they were stored (LogPartitions creates days ahead and drops days older
-- than the longest retention), so age retention is mostly DROP TABLE rather than DELETE.
CREATE TABLE log_lines (
    app_id      uuid NOT NULL,
    pos         bigint NOT NULL,
    instance_id uuid NOT NULL,
    seq         bigint NOT NULL,
    -- 1 stdout, 2 stderr (as in the engine's log files)
    stream      smallint NOT NULL,
    -- nanoseconds since the epoch, as the worker recorded the line (timestamptz has only microseconds)
    time_ns     bigint NOT NULL,
    partial     boolean NOT NULL,
    line        text NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now()
) PARTITION BY RANGE (stored_at);

CREATE INDEX log_lines_app_pos_idx ON log_lines (app_id, pos);

-- Catches rows for a day whose partition does not exist yet (should not happen: partitions are made days ahead).
CREATE TABLE log_lines_default PARTITION OF log_lines DEFAULT;

-- Deleting an app (its head goes by cascade) deletes its lines; retention never has to look for orphans.
CREATE FUNCTION log_heads_delete_lines() RETURNS trigger AS $$
BEGIN
    DELETE FROM log_lines WHERE app_id = OLD.app_id;
    RETURN OLD;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER log_heads_delete_lines AFTER DELETE ON log_heads
    FOR EACH ROW EXECUTE FUNCTION log_heads_delete_lines();
