DROP INDEX users_enterprise;
DROP INDEX users_cluster;
DROP INDEX refresh_tokens_user;
DROP TABLE login_throttle;
