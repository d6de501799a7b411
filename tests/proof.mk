# tests/proof.mk — load, crash, hostile-client and fuzz proofs (issue «Proof under load and faults»).
