#include "jose/jwk.hpp"
