-- Schema 10 (team desk): the sex chosen for a patient whose identity
-- number is not known (an unknown patient at the reception), so every
-- workstation's board tells unknown patients apart. NULL when not chosen;
-- an identified patient's sex is read from the identity number. Bound
-- into the audit chain with the other patient columns (the patients
-- triggers of schema 5 fire on every insert and update); a NULL sex
-- leaves a row's hash as it was before this column existed.
ALTER TABLE patients ADD COLUMN sex TEXT CHECK (sex IN ('female', 'male'));
