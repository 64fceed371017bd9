-- Containers whose pallet_count and total_cartons were entered by hand (PATCH
-- /api/containers/{id} with pallet_count or total_cartons): loading and unloading pallets
-- then leave those two tallies alone, and the reconciliation pallet-vs-container check
-- is what notices when they disagree with the pallets actually linked.
ALTER TABLE containers ADD COLUMN counts_manual BOOLEAN NOT NULL DEFAULT FALSE;
