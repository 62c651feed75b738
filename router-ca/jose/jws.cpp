#include "jose/jws.hpp"
