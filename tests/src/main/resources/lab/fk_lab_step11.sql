-- The DM safe-mode lab (docs/lab.md), step 11: a grandchild under the CASCADE child. Under DM's safe mode the
-- transient DELETE of a parent cascades two levels down; the lab then repeats step 9.
USE fk_lab;

CREATE TABLE grandchild (
  id BIGINT PRIMARY KEY,
  child_id BIGINT NOT NULL,
  payload VARCHAR(50),
  CONSTRAINT fk_gc FOREIGN KEY (child_id) REFERENCES child_cascade(id) ON DELETE CASCADE
);
INSERT INTO grandchild VALUES (1,1,'g1a'),(2,2,'g1b'),(3,3,'g2a');
