DROP TABLE assessment_cards;
