"""`companyenrich-export`: the command line, one module per concern."""
