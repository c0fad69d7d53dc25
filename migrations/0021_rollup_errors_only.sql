-- Rollups count errors as the error-rate rule does: status `error` only. Rows written
-- before counted every status but `ok` (timeouts, refusals, filtered too); each row's
-- summary holds its count per status, so they are corrected from it. Rows without a
-- non-ok status already agree and are not parsed.
UPDATE `rollups` SET `error_count` = json_extract(`summary`, '$.status.error')
WHERE `error_count` > 0 AND json_type(`summary`, '$.status.error') IN ('integer', 'real');
