-- Keeps batches.packed_grams (0011) on SQLite: row triggers on lots subtract the old live
-- row's grams and add the new one's.
CREATE TRIGGER tr_lots_packed_grams_ins AFTER INSERT ON lots WHEN NEW.is_deleted = FALSE BEGIN
  UPDATE batches SET packed_grams = packed_grams + CAST(FLOOR(COALESCE(NEW.weight_kg, 0) * 1000 + 0.5) AS INTEGER)
    WHERE id = NEW.batch_id AND enterprise_id = NEW.enterprise_id;
END;
-- Only when a counted column changed: an update of status or cartons writes nothing here.
CREATE TRIGGER tr_lots_packed_grams_upd AFTER UPDATE OF enterprise_id, batch_id, weight_kg, is_deleted ON lots
BEGIN
  UPDATE batches SET packed_grams = packed_grams - CAST(FLOOR(COALESCE(OLD.weight_kg, 0) * 1000 + 0.5) AS INTEGER)
    WHERE OLD.is_deleted = FALSE AND id = OLD.batch_id AND enterprise_id = OLD.enterprise_id;
  UPDATE batches SET packed_grams = packed_grams + CAST(FLOOR(COALESCE(NEW.weight_kg, 0) * 1000 + 0.5) AS INTEGER)
    WHERE NEW.is_deleted = FALSE AND id = NEW.batch_id AND enterprise_id = NEW.enterprise_id;
END;
CREATE TRIGGER tr_lots_packed_grams_del AFTER DELETE ON lots WHEN OLD.is_deleted = FALSE BEGIN
  UPDATE batches SET packed_grams = packed_grams - CAST(FLOOR(COALESCE(OLD.weight_kg, 0) * 1000 + 0.5) AS INTEGER)
    WHERE id = OLD.batch_id AND enterprise_id = OLD.enterprise_id;
END;
