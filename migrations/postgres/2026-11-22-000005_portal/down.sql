DROP TABLE signin_throttle;
DROP TABLE sessions;
