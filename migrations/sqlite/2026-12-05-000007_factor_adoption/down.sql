DROP INDEX factors_status_kind_user;
DROP TABLE factor_adoption;
