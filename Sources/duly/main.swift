print("duly")
