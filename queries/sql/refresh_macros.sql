-- in_slice(selection, value): true when the sidebar selection is empty ("all") or holds value.
-- One definition so that every metric file applies a slicer the same way.
CREATE OR REPLACE MACRO in_slice(selection, value) AS
    (len(selection) = 0 OR list_contains(selection, value));
