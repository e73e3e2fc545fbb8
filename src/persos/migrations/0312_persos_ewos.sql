-- PERSOS: an employee who lives in the municipality can be linked to the
-- resident in the EWOS register; the address then follows the register.
ALTER TABLE persos_employee ADD COLUMN ewos_person BIGINT;
