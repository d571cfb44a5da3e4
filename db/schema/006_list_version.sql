-- Schema 6: a number that grows whenever number_lists changes, for the
-- server's copy of the lists in memory (db/store_lists.cpp). With it a claim
-- reads one small row instead of searching the lists' B-tree, whose pages
-- every other connection's commit evicts from this connection's cache.
-- Written by triggers, so a program that changes number_lists directly is
-- seen as well. Integrators: nothing to do, and nothing to write here.
CREATE TABLE list_version (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  n   INTEGER NOT NULL
);
INSERT INTO list_version(id, n) VALUES (1, 0);

CREATE TRIGGER number_lists_inserted AFTER INSERT ON number_lists
BEGIN
  UPDATE list_version SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER number_lists_deleted AFTER DELETE ON number_lists
BEGIN
  UPDATE list_version SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER number_lists_updated AFTER UPDATE OF number, list ON number_lists
BEGIN
  UPDATE list_version SET n = n + 1 WHERE id = 1;
END;
