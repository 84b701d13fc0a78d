DROP TABLE questionnaire_versions;
DROP TABLE audit_head;
