"""Views of the statistics pages, one module per audience: public, operators, centre, Excel."""
