-- Group input recorded with the minutes names its agenda item, so saving the minutes
-- again changes that input instead of adding it twice.
ALTER TABLE inputs ADD COLUMN agenda_item_id BIGINT REFERENCES agenda_items (id) ON DELETE SET NULL;
CREATE INDEX inputs_agenda_item ON inputs (agenda_item_id);
