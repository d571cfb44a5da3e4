-- Schema 6: what changed in number_lists, in order, for the server's copy of
-- the lists in memory (db/store_lists.cpp). With it a claim reads one small
-- row (the last change's seq, in sqlite_sequence) instead of searching the
-- lists' B-tree, whose pages every other connection's commit evicts from
-- this connection's cache; after a change the server reads only the numbers
-- that changed, then deletes the rows it has read. Written by triggers, so
-- a program that changes number_lists directly is seen as well.
CREATE TABLE number_list_changes (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,   -- AUTOINCREMENT: never reused after the server deletes rows
  number  TEXT NOT NULL
);

CREATE TRIGGER number_lists_inserted AFTER INSERT ON number_lists
BEGIN
  INSERT INTO number_list_changes(number) VALUES (NEW.number);
END;

CREATE TRIGGER number_lists_deleted AFTER DELETE ON number_lists
BEGIN
  INSERT INTO number_list_changes(number) VALUES (OLD.number);
END;

CREATE TRIGGER number_lists_updated AFTER UPDATE OF number, list ON number_lists
BEGIN
  INSERT INTO number_list_changes(number) VALUES (OLD.number);
  INSERT INTO number_list_changes(number) SELECT NEW.number WHERE NEW.number IS NOT OLD.number;
END;
