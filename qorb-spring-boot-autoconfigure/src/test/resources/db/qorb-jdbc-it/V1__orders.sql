CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL);
INSERT INTO orders VALUES (1, 'tea'), (2, 'bread'), (3, 'soap');
