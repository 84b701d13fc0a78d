DROP TABLE review_samples;
DROP TABLE review_ratings;
