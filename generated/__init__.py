"""Machine-written code behind `attachkit`: private, imported only by the overlays."""
