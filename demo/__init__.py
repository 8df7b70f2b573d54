"""The demo city's content as data: the tables under demo/data/ and the code that reads them.

The management commands in kyodo_portal (seed_demo, grow_data) build the city from what this
package reads; nothing here writes to the database.
"""
